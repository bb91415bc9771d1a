using SixLabors.ImageSharp;
using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Quality;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Pipeline;

/// <summary>
/// The quality gate in a run. The negative of a picture shrinks back to nothing like it (about 5 dB), while
/// nearest-neighbour upscaling shrinks back to its input exactly and a blur loses only what is finer than the
/// gate's 4x4 blocks: one model fails, the others pass.
/// </summary>
public sealed class QualityGatePipelineTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Picture(string name)
    {
        Directory.CreateDirectory(_folder.File("in"));
        string path = _folder.File("in", name);
        TestImages.SavePng(path, TestImages.GradientsAndNoise(new Random(name.Length), 24, 24), 24, 24);
        return path;
    }

    private static UpscaleOptions Options(string? keep = null, double? min = null) => new()
    {
        TileSize = 16, TileOverlap = 4, BatchSize = 2, IoThreads = 1,
        KeepRejectedDirectory = keep,
        MinConsistencyPsnr = min ?? QualityGate.DefaultMinConsistencyPsnr,
    };

    [Fact]
    public void An_inconsistent_output_fails_with_its_metrics_and_is_not_written()
    {
        string input = Picture("picture.png");
        var result = Assert.Single(PipelineRunner.Run(RepoPaths.TestModel("invert-x2"), [input], _folder.File("out"), Options()));
        Assert.Equal(UpscaleStatus.Failed, result.Status);
        Assert.Equal("QualityCheckFailed", result.Error!.ErrorId);
        Assert.StartsWith(input + ": ", result.Error.Message);
        // It was decoded: its size is reported with the failure (nothing was written: no output size).
        Assert.Equal((24, 24, 0, 0), (result.InputWidth, result.InputHeight, result.OutputWidth, result.OutputHeight));
        Assert.InRange(result.Metrics!.ConsistencyPsnr, 5, QualityGate.DefaultMinConsistencyPsnr);
        Assert.False(File.Exists(result.Item.OutputPath));
        Assert.False(Directory.Exists(_folder.File("out")) && Directory.EnumerateFileSystemEntries(_folder.File("out")).Any());
    }

    [Fact]
    public void A_rejected_output_is_kept_for_review_when_asked()
    {
        string input = Picture("picture.png");
        string keep = _folder.File("rejected");
        var result = Assert.Single(PipelineRunner.Run(RepoPaths.TestModel("invert-x2"), [input], _folder.File("out"), Options(keep)));
        Assert.Equal("QualityCheckFailed", result.Error!.ErrorId);
        string kept = Assert.Single(Directory.GetFiles(keep));
        Assert.StartsWith("picture-", Path.GetFileName(kept));
        Assert.Contains(kept, result.Error.Message);
        Assert.Equal(48, Image.Identify(kept).Width);
    }

    [Fact]
    public void A_faithful_output_passes_with_its_metrics_and_the_gate_can_be_turned_off()
    {
        string input = Picture("picture.png");
        var passed = Assert.Single(PipelineRunner.Run(RepoPaths.TestModel("nearest-x2"), [input], _folder.File("out"), Options()));
        Assert.Equal(UpscaleStatus.Succeeded, passed.Status);
        Assert.True(passed.Metrics!.ConsistencyPsnr > 100);
        Assert.True(passed.Metrics.InputDeviation > 30, "the gradients have a large luma deviation");

        var allowed = Assert.Single(PipelineRunner.Run(RepoPaths.TestModel("invert-x2"), [input], _folder.File("out2"), Options(min: 0)));
        Assert.Equal(UpscaleStatus.Succeeded, allowed.Status);
        Assert.True(allowed.Metrics!.ConsistencyPsnr < QualityGate.DefaultMinConsistencyPsnr);
    }

    [Fact]
    public void A_model_that_smooths_away_the_finest_detail_passes()
    {
        // A 3x3 blur wipes out the blue noise pixel by pixel, but keeps the means of 4x4 blocks.
        string input = Picture("picture.png");
        var result = Assert.Single(PipelineRunner.Run(RepoPaths.TestModel("boxblur-x2"), [input], _folder.File("out"), Options()));
        Assert.True(result.Status == UpscaleStatus.Succeeded, result.Error?.Message);
        Assert.InRange(result.Metrics!.ConsistencyPsnr, QualityGate.DefaultMinConsistencyPsnr, 60);
        Assert.True(File.Exists(result.Item.OutputPath));
    }
    /// <summary>
    /// The embedded model's output is poorest where its input ends (zero-padded convolutions): a 1x1 spacer image, all
    /// edge, came out a gradient from (68,123,53) to (13,205,12) and failed the gate at 18.6 dB, and the corners of a
    /// white background came out beige, (215,201,191). With the image's edge pixels repeated around it, both come
    /// out flat.
    /// </summary>
    [Theory]
    [InlineData(1, 1, 10, 200, 30)]
    [InlineData(3, 2, 10, 200, 30)]
    [InlineData(40, 24, 10, 200, 30)]
    [InlineData(40, 24, 255, 255, 255)]
    public void A_flat_image_comes_out_flat_to_its_corners_with_the_embedded_model(int width, int height, byte r, byte g, byte b)
    {
        Directory.CreateDirectory(_folder.File("in"));
        string input = _folder.File("in", "flat.png");
        var colour = new SixLabors.ImageSharp.PixelFormats.Rgb24(r, g, b);
        TestImages.SavePng(input, Enumerable.Repeat(colour, width * height).ToArray(), width, height);
        var result = Assert.Single(PipelineRunner.Run(Path.Combine(RepoPaths.Root, "models", "swin2sr-tiny-x4.onnx"), [input], _folder.File("out"), Options()));
        Assert.Equal(UpscaleStatus.Succeeded, result.Status);
        var output = TestImages.LoadPixels(result.Item.OutputPath, out int w, out int h);
        Assert.Equal((4 * width, 4 * height), (w, h));
        // Each pixel, not only the block means the gate compares, within the error the gate allows on average.
        double allowed = 255 / Math.Pow(10, QualityGate.DefaultMinConsistencyPsnr / 20);
        Assert.All(output, p => Assert.True(new[] { p.R - colour.R, p.G - colour.G, p.B - colour.B }.All(d => Math.Abs(d) <= allowed), $"{p} is not the input's colour {colour}"));
    }
}
