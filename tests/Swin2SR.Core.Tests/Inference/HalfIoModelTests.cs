using Swin2SR.Core.Inference;
using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Inference;

/// <summary>
/// A model converted to fp16 without keep_io_types (onnxconverter-common's keep_io_types=False) takes and gives
/// float16: it was refused as it loaded. It runs with its input and output converted at the boundary, computes in
/// fp16 whatever precision is asked, and its outputs still go through the quality gate, which has no fp32 to redo
/// them in.
/// </summary>
public sealed class HalfIoModelTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string BoxBlurFp16 => RepoPaths.TestModel("boxblur-fp16-x2");

    private static UpscaleOptions Tiled => new() { TileSize = 16, TileOverlap = 4, BatchSize = 2, IoThreads = 1 };

    private string Picture(int width, int height)
    {
        string path = _folder.File("in.png");
        TestImages.SavePng(path, TestImages.GradientsAndNoise(new Random(5), width, height), width, height);
        return path;
    }

    [Theory]
    [InlineData(Precision.Fp32)]
    [InlineData(Precision.Fp16)]
    public void It_loads_computing_in_fp16_whatever_precision_is_asked_without_a_note(Precision asked)
    {
        using var model = TileModel.LoadCpu(BoxBlurFp16, cores: 1, precision: asked);

        Assert.True(model.Contract.HalfInput && model.Contract.HalfOutput);
        Assert.Equal(Precision.Fp16, model.Precision);
        Assert.Null(model.PrecisionNote);
    }

    [Fact]
    public void An_image_comes_out_within_a_level_of_the_float32_model_and_says_fp16()
    {
        string input = Picture(37, 21);
        using var model = TileModel.LoadCpu(BoxBlurFp16, cores: 1);

        var result = Assert.Single(PipelineRunner.Run([model], [input], _folder.File("out"), Tiled, out var notes));

        Assert.True(result.Status == UpscaleStatus.Succeeded, result.Error?.Message);
        Assert.Equal(Precision.Fp16, result.Precision);
        var expected = TestImages.BoxBlurNearest2x(TestImages.LoadPixels(input, out _, out _), 37, 21);
        var actual = TestImages.LoadPixels(result.Item.OutputPath, out int width, out int height);
        Assert.Equal((74, 42), (width, height));
        int worst = expected.Zip(actual, (e, a) => Math.Max(Math.Abs(e.R - a.R), Math.Max(Math.Abs(e.G - a.G), Math.Abs(e.B - a.B)))).Max();
        Assert.InRange(worst, 0, 1);
        Assert.Contains(notes, n => n.Contains("takes or gives float16") && n.Contains("cannot be redone in fp32"));
    }

    [Fact]
    public void An_fp16_overflow_fails_the_quality_gate_as_infinity_and_is_not_redone_in_fp32()
    {
        string path = BoxBlurFp16TimesHalfMax();

        var result = Assert.Single(PipelineRunner.Run(path, [Picture(37, 21)], _folder.File("out"), Tiled));

        Assert.Equal("QualityCheckFailed", result.Error?.ErrorId);
        Assert.Contains("NaN or infinite values", result.Error!.Message);
        Assert.True(result.Metrics!.NonFiniteValues > 0);
        // Several tiles: the overlap is widened, in fp16 (the model has nothing else).
        Assert.Contains("also when redone with a tile overlap", result.Error.Message);
        Assert.DoesNotContain("redone in fp32", result.Error.Message);
    }

    [Fact]
    public void A_model_in_fp16_that_states_no_metadata_is_probed_in_halves()
    {
        string path = EditedModels.Write("boxblur-fp16-x2", _folder.File("boxblur-fp16-bare.onnx"), model => model.MetadataProps.Clear());

        using var loaded = TileModel.LoadCpu(path, cores: 1);

        Assert.Equal((2, 8), (loaded.Contract.Scale, loaded.Contract.Window));
    }

    /// <summary>boxblur-fp16-x2 with its output multiplied twice by half's largest value, 65504: anything but black overflows to infinity.</summary>
    private string BoxBlurFp16TimesHalfMax() => EditedModels.Write("boxblur-fp16-x2", _folder.File("boxblur-fp16-overflow.onnx"), model =>
    {
        var graph = model.Graph;
        EditedModels.RenameOutputSource(graph, "reconstruction", "blurred_x2");
        graph.Initializer.Add(EditedModels.Scalar("half_max", (float)Half.MaxValue, half: true));
        graph.Node.Add(EditedModels.Node("Mul", "scaled", "blurred_x2", "half_max"));
        graph.Node.Add(EditedModels.Node("Mul", "reconstruction", "scaled", "half_max"));
    });
}
