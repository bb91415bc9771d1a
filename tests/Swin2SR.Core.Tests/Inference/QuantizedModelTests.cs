using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Devices;
using Swin2SR.Core.Inference.Float16.OnnxFormat;
using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Quality;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Inference;

/// <summary>
/// An int8 export as transformers.js ships beside its Swin2SR models (model_quantized.onnx: onnxruntime's
/// quantize_dynamic, uint8 weights, MatMul and Conv in integers): models/test/swin2sr-tiny-x2-quantized.onnx is the
/// embedded x2 model quantized that way (models/tools/quantize_models.py).
/// </summary>
public sealed class QuantizedModelTests : IDisposable
{
    private const int Width = 40, Height = 28;

    private readonly TempFolder _folder = new();
    private readonly Rgb24[] _pixels = TestImages.GradientsAndNoise(new Random(5), Width, Height);

    public void Dispose() => _folder.Dispose();

    private static string Float32Model => Path.Combine(RepoPaths.Root, "models", "swin2sr-tiny-x2.onnx");

    private static string QuantizedModel => RepoPaths.TestModel("swin2sr-tiny-x2-quantized");

    /// <summary>The test picture upscaled by <paramref name="model"/> behind the default quality gate, read back.</summary>
    private Rgb24[] Upscale(string model) => PipelineRunner.UpscaleOne(_folder, _pixels, Width, Height, model);

    [Fact]
    public void A_dynamically_quantized_export_passes_the_quality_gate_close_to_its_float32_model()
    {
        var quantized = Upscale(QuantizedModel);
        var float32 = Upscale(Float32Model);

        double squares = quantized.Zip(float32).Sum(p =>
            Math.Pow(p.First.R - p.Second.R, 2) + Math.Pow(p.First.G - p.Second.G, 2) + Math.Pow(p.First.B - p.Second.B, 2));
        double psnr = Psnr.FromMeanSquaredError(squares / (3.0 * float32.Length));
        // Not the float32 model run again: its integers did run.
        Assert.True(squares > 0, "the quantized model's output is the float32 model's");
        // Within what 8-bit weights lose: this picture measured 45.9 dB against the float32 output (ONNX Runtime
        // 1.31, CPU). 3 dB below that leaves room for other CPUs' integer kernels; 6 above stays under the 8.3 dB
        // that leaving the Convs in float32 gains on Set5 (49.9 against 58.2 dB, models/test/README.md), so a model
        // quantized less than transformers.js's fails too.
        const double measured = 45.9;
        Assert.InRange(psnr, measured - 3, measured + 6);
    }

    [Fact]
    public void A_quantized_export_that_states_nothing_is_run_to_find_its_scale_and_window()
    {
        // The hub's exports carry no scale or window metadata: loading runs the integer graph to find both.
        string path = EditedModels.Write("swin2sr-tiny-x2-quantized", _folder.File("model_quantized.onnx"), model => model.MetadataProps.Clear());

        using var runner = TileModel.LoadCpu(path, cores: 1);

        Assert.Equal((2, 8), (runner.Contract.Scale, runner.Contract.Window));
    }

    [Fact]
    public void Fp16_of_a_quantized_export_runs_it_in_fp32_with_a_note_that_names_its_integer_operators()
    {
        var cache = new OptimizedGraphCache(_folder.File("cache"));

        using var runner = TileModel.LoadCpu(QuantizedModel, cores: 1, cache, Precision.Fp16);

        Assert.Equal(Precision.Fp32, runner.Precision);
        Assert.Contains("quantized already (DynamicQuantizeLinear, ConvInteger, MatMulInteger)", runner.PrecisionNote);
        Assert.EndsWith("it runs in fp32.", runner.PrecisionNote);
        // Refused before writing: no half-precision file that ONNX Runtime cannot load is left in the cache.
        Assert.Empty(Directory.Exists(cache.Directory) ? Directory.GetFiles(cache.Directory, "*-fp16-*") : []);
    }

    [Fact]
    public void An_export_with_an_operator_this_runtime_lacks_is_refused_naming_the_file_and_the_operator()
    {
        // As a 4-bit export made for a newer ONNX Runtime: its contrib operator is not registered in this one.
        string path = EditedModels.Write("swin2sr-tiny-x2-quantized", _folder.File("model_q4.onnx"), model =>
        {
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
            var node = model.Graph.Node.First(n => n.OpType == "MatMulInteger");
            (node.OpType, node.Domain) = ("MatMulNBitsFromTheFuture", "com.microsoft");
        });

        var e = Assert.Throws<ModelLoadException>(() => TileModel.LoadCpu(path, cores: 1));

        Assert.StartsWith($"Model '{path}': it uses the operator com.microsoft:MatMulNBitsFromTheFuture, which ONNX Runtime 1.", e.Message);
        Assert.Contains("cannot run on cpu", e.Message);
        Assert.Contains("model_quantized.onnx", e.Recommendation);
    }

    [Theory]
    [InlineData("Load model from m.onnx failed:Fatal error: com.microsoft:MatMulBnb4(-1) is not a registered function/op", "com.microsoft:MatMulBnb4")]
    [InlineData("Load model from m.onnx failed:This is an invalid model. In Node, (\"q\", MatMulIntegeX, \"\", -1) : (...) , Error No Op registered for MatMulIntegeX with domain_version of 17", "MatMulIntegeX (opset 17)")]
    // onnxruntime-web's words for int8 ConvInteger, as transformers.js quotes them (scripts/quantize.py).
    [InlineData("Can't create a session. ERROR_CODE: 9, ERROR_MESSAGE: Could not find an implementation for ConvInteger(10) node with name '/conv/Conv_quant'", "ConvInteger (opset 10)")]
    [InlineData("Load model from m.onnx failed:Type Error: Type 'tensor(float16)' of input parameter (x) of operator (DynamicQuantizeLinear) in node (q) is invalid.", null)]
    public void The_operator_a_runtime_lacks_is_read_from_its_message(string message, string? expected) =>
        Assert.Equal(expected, UnsupportedOperator.Find(message));
}
