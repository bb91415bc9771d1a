using Google.Protobuf;
using Swin2SR.Core.Inference.Float16.OnnxFormat;

namespace Swin2SR.Core.Tests.Support;

/// <summary>A committed test model changed the way some export would differ from it, written to a test's folder.</summary>
internal static class EditedModels
{
    /// <returns><paramref name="path"/>, holding models/test/<paramref name="testModel"/>.onnx after <paramref name="change"/>.</returns>
    public static string Write(string testModel, string path, Action<ModelProto> change)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(RepoPaths.TestModel(testModel)));
        change(model);
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    /// <summary>
    /// Every dimension of the image input and output fixed, as torch.onnx.export without dynamic_axes leaves them:
    /// [1,3,size,size] in, [1,3,scale*size,scale*size] out.
    /// </summary>
    public static void FixShapes(ModelProto model, int size, int scale)
    {
        foreach (var (value, edge) in new[] { (model.Graph.Input[0], size), (model.Graph.Output[0], size * scale) })
        {
            var dims = value.Type.TensorType.Shape.Dim;
            for (int d = 0; d < 4; d++)
                dims[d] = new TensorShapeProto.Types.Dimension { DimValue = d == 0 ? 1 : d == 1 ? 3 : edge };
        }
    }

    /// <summary>A node of <paramref name="opType"/> from <paramref name="inputs"/> to <paramref name="output"/>.</summary>
    public static NodeProto Node(string opType, string output, params string[] inputs)
    {
        var node = new NodeProto { OpType = opType, Name = output + "_" + opType.ToLowerInvariant() };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    /// <summary>A scalar initializer of <paramref name="value"/>, float32 or (<paramref name="half"/>) float16.</summary>
    public static TensorProto Scalar(string name, float value, bool half = false) => new()
    {
        Name = name,
        DataType = (int)(half ? TensorProto.Types.DataType.Float16 : TensorProto.Types.DataType.Float),
        RawData = ByteString.CopyFrom(half ? BitConverter.GetBytes(BitConverter.HalfToUInt16Bits((Half)value)) : BitConverter.GetBytes(value)),
    };

    /// <summary>Renames the graph's output where the node making it writes it, so that nodes can be added after it.</summary>
    public static void RenameOutputSource(GraphProto graph, string output, string newName) =>
        graph.Node.Single(n => n.Output.Contains(output)).Output[0] = newName;
}
