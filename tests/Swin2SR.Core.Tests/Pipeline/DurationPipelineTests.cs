using System.Diagnostics;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Pipeline;

/// <summary>
/// An image's Duration is the work done on it, not the time it spent in flight: on a slow device with every image
/// queued, an image finishing late has waited behind the batches of all the others, and that is no cost of its own.
/// </summary>
public class DurationPipelineTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private static readonly string Model = RepoPaths.TestModel("boxblur-x2");
    private const int Images = 16;

    /// <summary>One tile a batch on one lane: the device runs the tiles one after another, each costing its whole batch.</summary>
    private static readonly UpscaleOptions Options = new()
    {
        TileSize = 32, TileOverlap = 8, BatchSize = 1, IoThreads = 1, MaxImagesInFlight = Images, MinConsistencyPsnr = 0,
    };

    /// <summary>Slower than decoding and encoding, as a real model is: the images queue up for the device.</summary>
    private static readonly TimeSpan DeviceLatency = TimeSpan.FromMilliseconds(50);

    /// <summary>The first batch's, as a device warming up takes: by then every image is decoded and its tile queued.</summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromMilliseconds(500);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Durations_count_the_work_on_each_image_and_not_its_wait_for_the_device()
    {
        var random = new Random(3);
        var inputs = Enumerable.Range(0, Images).Select(i =>
        {
            // 24x24: one tile each (40, with its edge context), of a size with a smaller one (32) to cut it into again.
            string path = _folder.File($"in/img{i:D2}.png");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            TestImages.SavePng(path, TestImages.RandomPixels(random, 24, 24), 24, 24);
            return path;
        }).ToList();
        // The warm-up batch ends out of memory: its image is cut again and run once more, and the lost try counts too.
        using var device = new ScriptedRunner(Model, "cpu", (call, _, tile) =>
        {
            if (call != 1)
                return null;
            Thread.Sleep(WarmUp);
            return new DeviceOutOfMemoryException("cpu", 1, tile);
        }, DeviceLatency);

        var clock = Stopwatch.StartNew();
        var results = PipelineRunner.Run([device], inputs, _folder.File("out"), Options, out var notes);
        var wall = clock.Elapsed;

        Assert.Equal(Images, results.Count);
        Assert.All(results, r => Assert.True(r.Status == UpscaleStatus.Succeeded, r.Error?.Message));
        Assert.Contains(notes, n => n.Contains("is cut again into"));
        // Each image ran batches of its own tiles alone, all of whose time is its own.
        Assert.All(results, r => Assert.True(r.Duration >= DeviceLatency, $"{r.Item.InputPath}: {r.Duration} < a batch of {DeviceLatency}"));
        var total = TimeSpan.FromTicks(results.Sum(r => r.Duration.Ticks));
        Assert.True(total >= WarmUp + device.Batches * DeviceLatency, $"{total} < every batch run, the lost one too");
        // Each of the run's threads counts only while it works, for one image at a time (a batch's time is shared
        // out over its tiles): together no more than they could do in the run's time. In flight, the images queued
        // behind the warm-up and each other's batches would add up to several times that.
        int threads = device.Lanes + Options.IoThreads + StageSizes.Encoders([device], Options.IoThreads, Environment.ProcessorCount);
        Assert.True(total <= threads * wall, $"the Durations add up to {total}, more than {threads} threads could work in {wall}");
    }
}
