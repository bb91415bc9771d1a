using SixLabors.ImageSharp;
using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Quality;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Pipeline;

/// <summary>
/// The quality gate in a run. A 3x3 blur of white noise shrinks back to something far from the noise (about 11
/// dB), while nearest-neighbour upscaling shrinks back to its input exactly: one model fails, the other passes.
/// </summary>
public sealed class QualityGatePipelineTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Noise(string name)
    {
        Directory.CreateDirectory(_folder.File("in"));
        string path = _folder.File("in", name);
        TestImages.SavePng(path, TestImages.RandomPixels(new Random(name.Length), 24, 24), 24, 24);
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
        string input = Noise("noise.png");
        var result = Assert.Single(PipelineRunner.Run(RepoPaths.TestModel("boxblur-x2"), [input], _folder.File("out"), Options()));
        Assert.Equal(UpscaleStatus.Failed, result.Status);
        Assert.Equal("QualityCheckFailed", result.Error!.ErrorId);
        Assert.StartsWith(input + ": ", result.Error.Message);
        Assert.InRange(result.Metrics!.ConsistencyPsnr, 5, QualityGate.DefaultMinConsistencyPsnr);
        Assert.False(File.Exists(result.Item.OutputPath));
        Assert.False(Directory.Exists(_folder.File("out")) && Directory.EnumerateFileSystemEntries(_folder.File("out")).Any());
    }

    [Fact]
    public void A_rejected_output_is_kept_for_review_when_asked()
    {
        string input = Noise("noise.png");
        string keep = _folder.File("rejected");
        var result = Assert.Single(PipelineRunner.Run(RepoPaths.TestModel("boxblur-x2"), [input], _folder.File("out"), Options(keep)));
        Assert.Equal("QualityCheckFailed", result.Error!.ErrorId);
        string kept = Assert.Single(Directory.GetFiles(keep));
        Assert.StartsWith("noise-", Path.GetFileName(kept));
        Assert.Contains(kept, result.Error.Message);
        Assert.Equal(48, Image.Identify(kept).Width);
    }

    [Fact]
    public void A_faithful_output_passes_with_its_metrics_and_the_gate_can_be_turned_off()
    {
        string input = Noise("noise.png");
        var passed = Assert.Single(PipelineRunner.Run(RepoPaths.TestModel("nearest-x2"), [input], _folder.File("out"), Options()));
        Assert.Equal(UpscaleStatus.Succeeded, passed.Status);
        Assert.True(passed.Metrics!.ConsistencyPsnr > 100);
        Assert.True(passed.Metrics.InputDeviation > 30, "noise has a large luma deviation");

        var allowed = Assert.Single(PipelineRunner.Run(RepoPaths.TestModel("boxblur-x2"), [input], _folder.File("out2"), Options(min: 0)));
        Assert.Equal(UpscaleStatus.Succeeded, allowed.Status);
        Assert.True(allowed.Metrics!.ConsistencyPsnr < QualityGate.DefaultMinConsistencyPsnr);
    }
}
