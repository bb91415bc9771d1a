using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Devices;
using Swin2SR.Core.Inference.Float16;
using Swin2SR.Core.Inference.Float16.OnnxFormat;
using Swin2SR.Core.Tests.Support;
using Swin2SR.Core.Tiling;

namespace Swin2SR.Core.Tests.Inference;

/// <summary>The fp16 rewrite, run by ONNX Runtime: it must load, keep float32 at its ends, and agree with fp32 within half's precision.</summary>
public sealed class Float16ConverterTests : IDisposable
{
    private const int Float = (int)TensorProto.Types.DataType.Float;
    private const int Float16 = (int)TensorProto.Types.DataType.Float16;
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string TinyX2 => Path.Combine(RepoPaths.Root, "models", "swin2sr-tiny-x2.onnx");

    [Fact]
    public void The_tiny_model_rewritten_has_only_half_weights_and_float32_ends()
    {
        var converted = ModelProto.Parser.ParseFrom(Float16Converter.Convert(File.ReadAllBytes(TinyX2)));
        var graph = converted.Graph;
        Assert.DoesNotContain(graph.Initializer, t => t.DataType == Float);
        Assert.Contains(graph.Initializer, t => t.DataType == Float16);
        Assert.Equal(Float, graph.Input.Single().Type.TensorType.ElemType);
        Assert.Equal(Float, graph.Output.Single().Type.TensorType.ElemType);
        Assert.Equal("Cast", graph.Node[0].OpType);
        Assert.Equal("Cast", graph.Node[^1].OpType);
    }

    [Fact]
    public void An_fp16_runner_agrees_with_fp32_within_half_precision_and_runs_fp32_on_request()
    {
        var cache = new OptimizedGraphCache(_folder.File("cache"));
        using var model = TileModel.LoadCpu(TinyX2, cores: 1, cache, Precision.Fp16);
        Assert.Equal(Precision.Fp16, model.Precision);
        Assert.Null(model.PrecisionNote);
        const int tile = 32;
        var input = new float[3 * tile * tile];
        for (int i = 0; i < input.Length; i++)
            input[i] = (float)(0.5 + 0.4 * Math.Sin(i * 0.37) * Math.Cos(i * 0.011));
        var half = new float[input.Length * 4];
        var full = new float[input.Length * 4];
        model.Run(input, half, 1, TileShape.Square(tile), Precision.Fp16);
        model.Run(input, full, 1, TileShape.Square(tile), Precision.Fp32);

        double maxDifference = half.Zip(full, (a, b) => Math.Abs(a - b)).Max();
        Assert.InRange(maxDifference, 1e-6, 2.0 / 255); // not identical (half did run), yet within 2 levels of 255
        // The rewrite is kept with the optimized graphs (beside its own optimized graph): the next start loads it.
        var kept = Directory.GetFiles(cache.Directory, "swin2sr-tiny-x2-*-fp16-*.onnx").Select(Path.GetFileName).ToList();
        Assert.Single(kept, name => !name!.Contains("-cpu-"));
        Assert.Single(kept, name => name!.Contains("-cpu-"));
    }

    [Fact]
    public void Resize_keeps_its_scales_in_float32()
    {
        var model = ResizeModel();
        byte[] converted = Float16Converter.Convert(model.ToByteArray());
        using var session = new InferenceSession(converted);
        var input = new float[] { 0.1f, 0.2f, 0.3f, 0.4f };
        using var value = OrtValue.CreateTensorValueFromMemory(input, [1, 1, 2, 2]);
        using var outputs = session.Run(new RunOptions(), ["x"], [value], ["y"]);
        var y = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        Assert.Equal(16, y.Length);
        float[] expected = [0.1f, 0.1f, 0.2f, 0.2f, 0.1f, 0.1f, 0.2f, 0.2f, 0.3f, 0.3f, 0.4f, 0.4f, 0.3f, 0.3f, 0.4f, 0.4f];
        Assert.All(y.Zip(expected), p => Assert.Equal(p.Second, p.First, 0.0005f));
    }

    [Fact]
    public void A_model_with_external_weights_runs_in_fp32_with_a_note_that_says_why()
    {
        string path = _folder.File("external.onnx");
        File.WriteAllBytes(_folder.File("weights.bin"), BitConverter.GetBytes(2f));
        var model = ScaleModel();
        File.WriteAllBytes(path, model.ToByteArray());

        using var runner = TileModel.LoadCpu(path, cores: 1, new OptimizedGraphCache(_folder.File("cache")), Precision.Fp16);
        Assert.Equal(Precision.Fp32, runner.Precision);
        Assert.Contains("external data", runner.PrecisionNote);
        Assert.Contains("runs in fp32", runner.PrecisionNote);
    }

    /// <summary>y = Resize(x, scales [1,1,2,2], nearest): x [1,1,H,W] float.</summary>
    private static ModelProto ResizeModel()
    {
        var graph = new GraphProto { Name = "resize" };
        graph.Input.Add(FloatTensor("x", 4));
        graph.Output.Add(FloatTensor("y", 4));
        var scales = new TensorProto { Name = "scales", DataType = Float };
        scales.Dims.Add(4);
        scales.FloatData.AddRange([1f, 1f, 2f, 2f]);
        graph.Initializer.Add(scales);
        var resize = new NodeProto { OpType = "Resize", Name = "resize" };
        resize.Input.AddRange(["x", "", "scales"]);
        resize.Output.Add("y");
        resize.Attribute.Add(new AttributeProto { Name = "mode", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8("nearest") });
        graph.Node.Add(resize);
        return Model(graph);
    }

    /// <summary>y = x * w, w a float kept in weights.bin beside the model (ONNX external data).</summary>
    private static ModelProto ScaleModel()
    {
        var graph = new GraphProto { Name = "scale" };
        graph.Input.Add(FloatTensor("pixel_values", 4));
        graph.Output.Add(FloatTensor("reconstruction", 4));
        var weight = new TensorProto { Name = "w", DataType = Float, DataLocation = TensorProto.Types.DataLocation.External };
        weight.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
        graph.Initializer.Add(weight);
        var mul = new NodeProto { OpType = "Mul", Name = "mul" };
        mul.Input.AddRange(["pixel_values", "w"]);
        mul.Output.Add("reconstruction");
        graph.Node.Add(mul);
        return Model(graph);
    }

    private static ModelProto Model(GraphProto graph)
    {
        var model = new ModelProto { IrVersion = 8, Graph = graph, ProducerName = "Float16ConverterTests" };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        return model;
    }

    private static ValueInfoProto FloatTensor(string name, int rank)
    {
        var shape = new TensorShapeProto();
        for (int d = 0; d < rank; d++)
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = $"d{d}" });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = Float, Shape = shape } },
        };
    }
}
