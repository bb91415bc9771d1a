using Google.Protobuf;
using Swin2SR.Core.Inference.Float16.OnnxFormat;

namespace Swin2SR.Core.Inference.Float16;

/// <summary>
/// Rewrites a float32 ONNX model to compute in float16 while keeping its float32 input and output: every float
/// constant becomes half, casts to float become casts to half, and a cast sits at each end. On a GPU this puts
/// the convolutions and matrix products on the tensor cores; on the CPU, ONNX Runtime casts around the operators
/// it has no half kernel for, so the model still runs (slower). Any model works, not only those published with
/// an fp16 variant.
/// </summary>
internal static class Float16Converter
{
    private const int Float = (int)TensorProto.Types.DataType.Float;
    private const int Float16 = (int)TensorProto.Types.DataType.Float16;

    /// <summary>Operator inputs ONNX requires in float32 whatever the data's type (Resize's roi and scales).</summary>
    private static readonly Dictionary<string, int[]> Float32Inputs = new(StringComparer.Ordinal)
    {
        ["Resize"] = [1, 2],
        ["Upsample"] = [1],
    };

    /// <summary>
    /// Operators of quantized models (onnxruntime's quantize_dynamic and quantize_static, 4-bit MatMulNBits and
    /// MatMulBnb4): they take float32 or give scales in float32 beside their integers, so turning the floats around them
    /// into halves makes a graph ONNX Runtime refuses (DynamicQuantizeLinear has no float16 input).
    /// </summary>
    private static readonly HashSet<string> QuantizedOperators = new(StringComparer.Ordinal)
    {
        "DynamicQuantizeLinear", "QuantizeLinear", "DequantizeLinear", "MatMulInteger", "ConvInteger", "QLinearMatMul",
        "QLinearConv", "DynamicQuantizeMatMul", "MatMulIntegerToFloat", "DynamicQuantizeLSTM", "QAttention", "QGemm",
        "MatMulNBits", "MatMulBnb4", "GatherBlockQuantized",
    };

    /// <exception cref="NotSupportedException">The model cannot be rewritten (weights in external files, no float32
    /// input, quantized already).</exception>
    /// <exception cref="InvalidProtocolBufferException">The file is not an ONNX model.</exception>
    public static byte[] Convert(byte[] float32Model)
    {
        var model = ModelProto.Parser.ParseFrom(float32Model);
        var graph = model.Graph;
        if (!graph.Input.Any(IsFloatTensor) || !graph.Output.Any(IsFloatTensor))
            throw new NotSupportedException("its input and output are not float32 tensors");
        var quantized = graph.Node.Select(n => n.OpType).Where(QuantizedOperators.Contains).Distinct().ToList();
        if (quantized.Count > 0)
            throw new NotSupportedException($"it is quantized already ({string.Join(", ", quantized)}), and only a float32 model has a half-precision form");
        ConvertGraph(graph);
        WrapFloatInputs(graph);
        WrapFloatOutputs(graph);
        return model.ToByteArray();
    }

    /// <summary>Everything inside a graph (and the graphs of If/Loop/Scan nodes in it) goes to half.</summary>
    private static void ConvertGraph(GraphProto graph)
    {
        // Shapes and types recorded for intermediate values would contradict the rewrite; ONNX Runtime infers them again.
        graph.ValueInfo.Clear();
        foreach (var tensor in graph.Initializer)
            ConvertTensor(tensor);
        for (int n = 0; n < graph.Node.Count; n++)
        {
            var node = graph.Node[n];
            foreach (var attribute in node.Attribute)
                ConvertAttribute(node, attribute);
            if (Float32Inputs.TryGetValue(node.OpType, out var slots))
                n += CastBackToFloat(graph, n, slots);
        }
    }

    private static void ConvertAttribute(NodeProto node, AttributeProto attribute)
    {
        switch (attribute.Type)
        {
            case AttributeProto.Types.AttributeType.Tensor:
                ConvertTensor(attribute.T);
                break;
            case AttributeProto.Types.AttributeType.Graph:
                ConvertSubgraph(attribute.G);
                break;
            case AttributeProto.Types.AttributeType.Graphs:
                foreach (var graph in attribute.Graphs)
                    ConvertSubgraph(graph);
                break;
            case AttributeProto.Types.AttributeType.Int when node.OpType == "Cast" && attribute.Name == "to" && attribute.I == Float:
                attribute.I = Float16;
                break;
            case AttributeProto.Types.AttributeType.Float when node.OpType == "Constant" && attribute.Name == "value_float":
                ReplaceWithTensor(attribute, [attribute.F], []);
                break;
            case AttributeProto.Types.AttributeType.Floats when node.OpType == "Constant" && attribute.Name == "value_floats":
                ReplaceWithTensor(attribute, [.. attribute.Floats], [attribute.Floats.Count]);
                break;
        }
    }

    private static void ConvertSubgraph(GraphProto graph)
    {
        ConvertGraph(graph);
        foreach (var value in graph.Input.Concat(graph.Output).Where(IsFloatTensor))
            value.Type.TensorType.ElemType = Float16;
    }

    /// <summary>Constant's value_float(s) written as a half tensor: a float attribute cannot hold a half.</summary>
    private static void ReplaceWithTensor(AttributeProto attribute, float[] values, long[] dims)
    {
        var tensor = new TensorProto { DataType = Float };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values);
        ConvertTensor(tensor);
        attribute.Name = "value";
        attribute.Type = AttributeProto.Types.AttributeType.Tensor;
        attribute.ClearF();
        attribute.Floats.Clear();
        attribute.T = tensor;
    }

    private static void ConvertTensor(TensorProto tensor)
    {
        if (tensor.DataType != Float)
            return;
        if (tensor.HasDataLocation && tensor.DataLocation == TensorProto.Types.DataLocation.External)
            throw new NotSupportedException($"its weights are in external data files ({tensor.Name})");
        float[] values = tensor.FloatData.Count > 0 ? [.. tensor.FloatData] : ReadRaw(tensor.RawData.Span);
        var halves = new byte[values.Length * sizeof(ushort)];
        for (int i = 0; i < values.Length; i++)
            BitConverter.TryWriteBytes(halves.AsSpan(i * sizeof(ushort)), BitConverter.HalfToUInt16Bits(ToHalf(values[i])));
        tensor.FloatData.Clear();
        tensor.RawData = ByteString.CopyFrom(halves);
        tensor.DataType = Float16;
    }

    /// <summary>Finite values beyond half's range saturate rather than become infinities (a -1e9 mask stays a huge negative).</summary>
    private static Half ToHalf(float value) =>
        float.IsFinite(value) ? (Half)Math.Clamp(value, (float)Half.MinValue, (float)Half.MaxValue) : (Half)value;

    private static float[] ReadRaw(ReadOnlySpan<byte> raw)
    {
        // ONNX stores raw data little-endian, as every platform ONNX Runtime runs on.
        var values = new float[raw.Length / sizeof(float)];
        for (int i = 0; i < values.Length; i++)
            values[i] = BitConverter.ToSingle(raw.Slice(i * sizeof(float), sizeof(float)));
        return values;
    }

    /// <summary>Casts the listed inputs of node <paramref name="index"/> back to float32; returns how many nodes were inserted before it.</summary>
    private static int CastBackToFloat(GraphProto graph, int index, int[] slots)
    {
        var node = graph.Node[index];
        int inserted = 0;
        foreach (int slot in slots.Where(s => s < node.Input.Count && node.Input[s].Length > 0))
        {
            string float32 = $"{node.Input[slot]}/float32_for_{node.Name}_{slot}";
            graph.Node.Insert(index + inserted++, Cast(node.Input[slot], float32, Float));
            node.Input[slot] = float32;
        }
        return inserted;
    }

    private static void WrapFloatInputs(GraphProto graph)
    {
        foreach (var input in graph.Input.Where(IsFloatTensor).Where(i => graph.Initializer.All(t => t.Name != i.Name)))
        {
            string half = input.Name + "/float16";
            Rename(graph, input.Name, half, inputsOnly: true);
            graph.Node.Insert(0, Cast(input.Name, half, Float16));
        }
    }

    private static void WrapFloatOutputs(GraphProto graph)
    {
        foreach (var output in graph.Output.Where(IsFloatTensor))
        {
            string half = output.Name + "/float16";
            Rename(graph, output.Name, half, inputsOnly: false);
            graph.Node.Add(Cast(half, output.Name, Float));
        }
    }

    /// <summary>
    /// Renames a value wherever a node uses it, in nested graphs too (they may read outer values), and, unless
    /// <paramref name="inputsOnly"/>, where the top graph makes it.
    /// </summary>
    private static void Rename(GraphProto graph, string from, string to, bool inputsOnly)
    {
        foreach (var node in graph.Node)
        {
            for (int i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i] == from)
                    node.Input[i] = to;
            }
            for (int i = 0; i < node.Output.Count && !inputsOnly; i++)
            {
                if (node.Output[i] == from)
                    node.Output[i] = to;
            }
            foreach (var attribute in node.Attribute)
            {
                foreach (var nested in attribute.Graphs.Append(attribute.G).OfType<GraphProto>())
                    Rename(nested, from, to, inputsOnly: true);
            }
        }
    }

    private static NodeProto Cast(string input, string output, int to)
    {
        var node = new NodeProto { OpType = "Cast", Name = output + "/cast" };
        node.Input.Add(input);
        node.Output.Add(output);
        node.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = to });
        return node;
    }

    private static bool IsFloatTensor(ValueInfoProto value) =>
        value.Type?.TensorType is { } tensor && tensor.ElemType == Float;
}
