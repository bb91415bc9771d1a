using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Devices;
using Swin2SR.Core.Pipeline;
using Xunit;

namespace Swin2SR.Core.Tests.Support;

/// <summary>Runs the real pipeline (real files, a real ONNX Runtime session) and collects every result.</summary>
internal static class PipelineRunner
{
    public static List<UpscaleResult> Run(string modelPath, IEnumerable<string> inputs, string outputDirectory, UpscaleOptions options, OutputFormat format = OutputFormat.Png)
    {
        using var model = TileModel.LoadCpu(modelPath, cores: 1);
        return Run([model], inputs, outputDirectory, options, out _, format);
    }

    /// <summary>Runs on the given devices; <paramref name="notes"/> gets what the scheduler adapted (warnings, then details).</summary>
    public static List<UpscaleResult> Run(IReadOnlyList<ITileRunner> devices, IEnumerable<string> inputs, string outputDirectory, UpscaleOptions options,
        out List<string> notes, OutputFormat format = OutputFormat.Png)
    {
        var items = OutputPlanner.Plan(inputs, outputDirectory, format);
        var pipeline = UpscalePipeline.Start(devices, items, options, CancellationToken.None);
        var results = new List<UpscaleResult>();
        var reader = pipeline.Results;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            while (reader.TryRead(out var result))
                results.Add(result);
        pipeline.Completion.GetAwaiter().GetResult();
        notes = [];
        while (pipeline.TryTakeNote(out var note))
            notes.Add(note);
        while (pipeline.TryTakeDetail(out var detail))
            notes.Add(detail);
        return results;
    }

    /// <summary>
    /// <paramref name="pixels"/> saved as a PNG in <paramref name="folder"/>, upscaled by <paramref name="modelPath"/>
    /// in several 16-pixel tiles and batches of 2 behind the quality gate <paramref name="options"/> sets (the
    /// default's unless given), and read back; fails unless it succeeded.
    /// </summary>
    public static Rgb24[] UpscaleOne(TempFolder folder, Rgb24[] pixels, int width, int height, string modelPath,
        Precision precision = Precision.Fp32, OptimizedGraphCache? cache = null, double? minConsistencyPsnr = null)
    {
        string input = folder.File("in.png");
        TestImages.SavePng(input, pixels, width, height);
        using var runner = TileModel.LoadCpu(modelPath, cores: 1, cache, precision);
        var options = new UpscaleOptions { TileSize = 16, TileOverlap = 4, BatchSize = 2, IoThreads = 1 };
        if (minConsistencyPsnr is { } psnr)
            options = options with { MinConsistencyPsnr = psnr };
        var result = Assert.Single(Run([runner], [input], folder.File($"out-{Guid.NewGuid():N}"), options, out _));
        Assert.True(result.Status == UpscaleStatus.Succeeded, result.Error?.Message);
        return TestImages.LoadPixels(result.Item.OutputPath, out _, out _);
    }
}
