using Microsoft.ML.OnnxRuntime;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Devices;
using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Tests.Support;
using Swin2SR.Core.Tiling;

namespace Swin2SR.Core.Tests.Pipeline;

/// <summary>
/// The device scheduler with real sessions: work shared by two CPU workers, a device failing mid-batch, and
/// out-of-memory answered by smaller batches and tiles. Every case must give the bytes of a plain one-device run.
/// </summary>
public class SchedulerTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly List<string> _inputs = [];
    private static readonly string Model = RepoPaths.TestModel("boxblur-x2");
    // The blur model on noise images is no super-resolution: the quality gate is off here (QualityGateTests cover it).
    private static readonly UpscaleOptions Options = new() { TileSize = 32, TileOverlap = 8, BatchSize = 4, IoThreads = 1, MaxImagesInFlight = 4, MinConsistencyPsnr = 0 };

    /// <summary>The tile sizes a CPU run of <see cref="Options"/> takes, largest first (48, 40, 32: with room for the edge context).</summary>
    private static readonly IReadOnlyList<int> TileSizes = TileSizeChooser.EveryWindowMultiple(Options.TileSize, 8);

    private static int SmallestTile => TileSizes[^1];

    /// <summary>Slower than decoding, as a real model is: tiles queue up, so two devices both get work.</summary>
    private static readonly TimeSpan DeviceLatency = TimeSpan.FromMilliseconds(30);

    public SchedulerTests()
    {
        var random = new Random(5);
        for (int i = 0; i < 12; i++)
        {
            int w = random.Next(20, 90), h = random.Next(20, 90);
            string path = _folder.File($"in/img{i:D2}.png");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            TestImages.SavePng(path, TestImages.RandomPixels(random, w, h), w, h);
            _inputs.Add(path);
        }
    }

    public void Dispose() => _folder.Dispose();

    private Dictionary<string, byte[]> Reference()
    {
        var results = PipelineRunner.Run(Model, _inputs, _folder.File("reference"), Options);
        Assert.All(results, r => Assert.Equal(UpscaleStatus.Succeeded, r.Status));
        return results.ToDictionary(r => Path.GetFileName(r.Item.OutputPath), r => File.ReadAllBytes(r.Item.OutputPath));
    }

    private List<UpscaleResult> RunOn(IReadOnlyList<ITileRunner> devices, string folder, out List<string> notes) =>
        PipelineRunner.Run(devices, _inputs, _folder.File(folder), Options, out notes);

    private static void AssertSameBytes(Dictionary<string, byte[]> reference, List<UpscaleResult> results)
    {
        Assert.Equal(reference.Count, results.Count);
        foreach (var r in results)
        {
            Assert.True(r.Status == UpscaleStatus.Succeeded, r.Error?.Message);
            Assert.True(reference[Path.GetFileName(r.Item.OutputPath)].AsSpan().SequenceEqual(File.ReadAllBytes(r.Item.OutputPath)), r.Item.OutputPath);
        }
    }

    /// <summary>Two runs of the same inputs wrote the same bytes for each.</summary>
    private static void AssertSameOutputs(List<UpscaleResult> first, List<UpscaleResult> second)
    {
        Assert.Equal(first.Count, second.Count);
        foreach (var (a, b) in first.OrderBy(r => r.Item.InputPath).Zip(second.OrderBy(r => r.Item.InputPath)))
            Assert.Equal(File.ReadAllBytes(a.Item.OutputPath), File.ReadAllBytes(b.Item.OutputPath));
    }

    [Fact]
    public void Batches_sized_automatically_write_the_same_bytes_as_fixed_ones()
    {
        var reference = Reference();
        using var device = new ScriptedRunner(Model, "cpu");
        var results = PipelineRunner.Run([device], _inputs, _folder.File("automatic"), Options with { BatchSize = UpscaleOptions.AutomaticBatchSize }, out _);
        AssertSameBytes(reference, results);
        Assert.Equal(1, device.Shapes[0].Batch); // the search starts at one tile
    }

    [Fact]
    public void Automatic_batches_on_the_cpu_are_one_tile_even_where_a_larger_one_would_be_faster()
    {
        // Images of one size (one tile shape, one batch search), on a device that takes 30 ms a batch whatever its
        // size: a larger batch is always faster per tile, and a search would grow it (on a GPU it does). On the CPU a
        // batch only tried keeps its memory in ONNX Runtime's arena, and real models gain nothing from it there.
        var random = new Random(11);
        var inputs = new List<string>();
        for (int i = 0; i < 16; i++)
        {
            string path = _folder.File($"same/img{i:D2}.png");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            TestImages.SavePng(path, TestImages.RandomPixels(random, 64, 64), 64, 64);
            inputs.Add(path);
        }
        using var cpu = new ScriptedRunner(Model, "cpu", latency: DeviceLatency);
        var automatic = PipelineRunner.Run([cpu], inputs, _folder.File("same-automatic"), Options with { BatchSize = UpscaleOptions.AutomaticBatchSize }, out _);
        using var given = new ScriptedRunner(Model, "cpu", latency: DeviceLatency);
        var fixedFour = PipelineRunner.Run([given], inputs, _folder.File("same-fixed"), Options, out _);
        using var gpu = new ScriptedRunner(Model, "cuda:0", latency: DeviceLatency, kind: DeviceKind.Cuda);
        PipelineRunner.Run([gpu], inputs, _folder.File("same-gpu"), Options with { BatchSize = UpscaleOptions.AutomaticBatchSize }, out _);

        Assert.All(cpu.Shapes, s => Assert.Equal(1, s.Batch));
        Assert.Contains(given.Shapes, s => s.Batch > 1); // -BatchSize still batches
        Assert.Contains(gpu.Shapes, s => s.Batch > 1); // a GPU still searches, even one whose free memory is not read
        AssertSameOutputs(automatic, fixedFour);
    }

    /// <summary>Flat images of distinct greys, two tiles each: a tile's first input value says which image it is from.</summary>
    /// <param name="paddedTo">The length each file is padded to past its end (zeros, sparse), or 0.</param>
    private List<string> FlatGreys(string folder, long paddedTo = 0)
    {
        var inputs = new List<string>();
        for (int i = 0; i < 6; i++)
        {
            string path = _folder.File($"{folder}/img{i}.png");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var grey = (byte)(30 + 40 * i);
            TestImages.SavePng(path, Enumerable.Repeat(new SixLabors.ImageSharp.PixelFormats.Rgb24(grey, grey, grey), 56 * 24).ToArray(), 56, 24);
            if (paddedTo > 0)
                using (var file = new FileStream(path, FileMode.Open))
                    file.SetLength(paddedTo);
            inputs.Add(path);
        }
        return inputs;
    }

    /// <summary>
    /// A device whose first batch takes half a second, as one warming up does: by then every image allowed in flight is
    /// decoded and its tiles queued, however slowly a fresh process decodes its first images.
    /// </summary>
    private static ScriptedRunner WarmingUp() => new(Model, "cpu", (call, _, _) => { if (call == 1) Thread.Sleep(500); return null; }, DeviceLatency);

    [Fact]
    public void Batches_mix_the_tiles_of_several_images_but_a_memory_budget_smaller_than_any_image_lets_one_in_at_a_time()
    {
        var inputs = FlatGreys("flat");
        using var unlimited = WarmingUp();
        using var budgeted = new ScriptedRunner(Model, "cpu", latency: DeviceLatency);

        var mixed = PipelineRunner.Run([unlimited], inputs, _folder.File("flat-mixed"), Options, out _);
        var oneByOne = PipelineRunner.Run([budgeted], inputs, _folder.File("flat-budget"), Options with { MaxBytesInFlight = 1 }, out _);

        Assert.All(mixed.Concat(oneByOne), r => Assert.Equal(UpscaleStatus.Succeeded, r.Status));
        Assert.Contains(unlimited.FirstValues, batch => batch.Distinct().Count() > 1);
        Assert.All(budgeted.FirstValues, batch => Assert.Single(batch.Distinct()));
        // One image at a time: once the next image's tiles come, the last one's never come again.
        var imageOrder = budgeted.FirstValues.SelectMany(batch => batch).ToList();
        int changes = imageOrder.Zip(imageOrder.Skip(1)).Count(pair => pair.First != pair.Second);
        Assert.Equal(inputs.Count - 1, changes);
        AssertSameOutputs(mixed, oneByOne);
    }

    [Fact]
    public void A_file_far_larger_than_its_image_counts_its_bytes_in_the_memory_budget()
    {
        // Each image needs well under a megabyte in flight, but its file, 16 MB with what follows its end (as data after
        // a PNG's IEND, or a huge TIFF), is held whole until decoded: two such files do not fit a budget of 24 MB.
        var inputs = FlatGreys("padded", paddedTo: 16 << 20);
        using var runner = WarmingUp();

        var results = PipelineRunner.Run([runner], inputs, _folder.File("padded-out"), Options with { MaxBytesInFlight = 24 << 20 }, out _);

        Assert.All(results, r => Assert.Equal(UpscaleStatus.Succeeded, r.Status));
        Assert.All(runner.FirstValues, batch => Assert.Single(batch.Distinct()));
    }

    [Fact]
    public void Two_workers_share_the_work_and_write_the_same_bytes_as_one()
    {
        var reference = Reference();
        using var a = new ScriptedRunner(Model, "cpu:a", latency: DeviceLatency);
        using var b = new ScriptedRunner(Model, "cpu:b", latency: DeviceLatency);
        var results = RunOn([a, b], "two", out _);
        AssertSameBytes(reference, results);
        Assert.True(a.Batches > 0 && b.Batches > 0, $"both workers ran batches ({a.Batches}, {b.Batches})");
    }

    [Fact]
    public void The_lanes_of_one_cpu_session_run_batches_at_once_and_write_the_same_bytes_as_one()
    {
        var reference = Reference();
        using var device = new ScriptedRunner(Model, "cpu", latency: DeviceLatency, cores: 2);
        var results = RunOn([device], "lanes", out var notes);
        AssertSameBytes(reference, results);
        Assert.Equal(2, device.Lanes);
        Assert.Equal(2, device.MostAtOnce);
        Assert.Contains("Running on cpu (2 workers, a core each); 1 decoders, 1 encoders, up to 4 images in flight.", notes);
    }

    [Fact]
    public void What_the_lanes_of_a_device_both_learn_is_said_once()
    {
        var reference = Reference();
        // Two of the smallest tiles fit at once, a batch of four larger ones never: each lane halves its batch, and says so.
        int budget = 2 * SmallestTile * SmallestTile;
        using var device = new ScriptedRunner(Model, "cpu", (_, batch, tile) =>
            batch * tile.Pixels > budget ? new DeviceOutOfMemoryException("cpu", batch, tile) : null, DeviceLatency, cores: 2);
        var results = RunOn([device], "lanes-oom", out var notes);
        AssertSameBytes(reference, results);
        Assert.Contains(notes, n => n.Contains("batch size now"));
        Assert.Equal(notes.Distinct(), notes);
    }

    [Fact]
    public void The_tiling_overhead_counts_only_images_whose_tiles_were_all_computed()
    {
        // The model fails on every 32x32 tile (a real ONNX Runtime error: a 4-channel input): the larger images fail
        // with none of their tiles computed, the smaller ones, cut into smaller tiles, are written.
        var modelError = ModelError();
        using var failing = new ScriptedRunner(Model, "cpu", (_, _, tile) => tile == TileShape.Square(32) ? modelError : null, DeviceLatency);
        var results = RunOn([failing], "overhead", out var notes);

        Assert.Contains(results, r => r.Status == UpscaleStatus.Succeeded);
        Assert.Contains(results, r => r.Status == UpscaleStatus.Failed);
        string overhead = Assert.Single(notes, n => n.StartsWith("Tiling overhead: "));
        double percent = double.Parse(overhead["Tiling overhead: ".Length..overhead.IndexOf('%')], System.Globalization.CultureInfo.InvariantCulture);
        // The written images' own pixels against the tiles their plans computed; the failed ones add neither.
        var written = results.Where(r => r.Status == UpscaleStatus.Succeeded).ToList();
        long computed = written.Sum(r => new TilePlan(r.InputWidth, r.InputHeight,
            TileSizeChooser.ChooseEachSide(r.InputWidth, r.InputHeight, TileSizes, Options.TileOverlap, align: 8), Options.TileOverlap, r.Scale, align: 8).ComputedPixels);
        double expected = 100 * (1 - (double)written.Sum(r => (long)r.InputWidth * r.InputHeight) / computed);
        Assert.Equal(Math.Round(expected, 1), percent, 1);
    }

    private static OnnxRuntimeException ModelError()
    {
        using var session = new InferenceSession(Model);
        using var wrong = OrtValue.CreateTensorValueFromMemory(new float[4 * 8 * 8], [1, 4, 8, 8]);
        return Assert.Throws<OnnxRuntimeException>(() => session.Run(new RunOptions(), [session.InputNames[0]], [wrong], [session.OutputNames[0]]).Dispose());
    }

    [Fact]
    public void A_device_failing_mid_batch_hands_its_tiles_to_the_other_and_nothing_is_lost()
    {
        var reference = Reference();
        // What TileModel throws for a GPU whose CUDA context a kernel fault has broken for good.
        var lost = new DeviceLostException("cpu:failing", new Exception("[ErrorCode:Fail] CUDA failure 700: an illegal memory access was encountered ; GPU=0"));
        using var failing = new ScriptedRunner(Model, "cpu:failing", (call, _, _) => call == 3 ? lost : null, DeviceLatency);
        using var healthy = new ScriptedRunner(Model, "cpu:healthy", latency: DeviceLatency);
        var results = RunOn([failing, healthy], "fault", out var notes);
        AssertSameBytes(reference, results);
        Assert.Equal(2, failing.Batches);
        Assert.Contains(notes, n => n.Contains("cpu:failing failed") && n.Contains("illegal memory access"));
    }

    [Fact]
    public void Out_of_memory_halves_the_batch_and_then_cuts_smaller_tiles_without_losing_a_tile()
    {
        var reference = Reference();
        // A device that can hold two of the smallest tiles at once, one of the next size, but never one of the largest.
        int budget = 2 * SmallestTile * SmallestTile;
        Assert.True(TileSizes.Count == 3 && TileSizes[1] * TileSizes[1] <= budget && TileSizes[0] * TileSizes[0] > budget, string.Join(",", TileSizes));
        using var small = new ScriptedRunner(Model, "cpu:small", (_, batch, tile) =>
            batch * tile.Pixels > budget ? new DeviceOutOfMemoryException("cpu:small", batch, tile) : null);
        var results = RunOn([small], "oom", out var notes);
        AssertSameBytes(reference, results);
        Assert.All(small.Shapes, s => Assert.True(s.Batch * s.Tile.Pixels <= budget));
        Assert.Contains(notes, n => n.Contains("batch size now"));
        Assert.Contains(notes, n => n.Contains($"cut again into {TileSizes[1]}x{TileSizes[1]} tiles"));
    }

    [Fact]
    public void An_image_fails_only_when_not_even_the_smallest_tile_fits()
    {
        using var tiny = new ScriptedRunner(Model, "cpu:tiny", (_, _, _) => new DeviceOutOfMemoryException("cpu:tiny", 1, TileShape.Square(16)));
        var results = RunOn([tiny], "none", out _);
        Assert.Equal(_inputs.Count, results.Count);
        Assert.All(results, r => Assert.Equal(("OutOfMemory", UpscaleStatus.Failed), (r.Error?.ErrorId, r.Status)));
        Assert.False(Directory.Exists(_folder.File("none")) && Directory.EnumerateFileSystemEntries(_folder.File("none")).Any(), "nothing was written");
    }

    [Fact]
    public async Task When_the_only_device_fails_the_run_stops_promptly_with_the_reason_instead_of_hanging()
    {
        using var broken = new ScriptedRunner(Model, "cpu:broken", (call, _, _) => call >= 2 ? new InvalidOperationException("device lost") : null);
        var run = Task.Run(() => RunOn([broken], "broken", out _));
        Assert.True(await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60))) == run, "the run ended instead of waiting on a full queue");
        var error = await Assert.ThrowsAnyAsync<Exception>(() => run);
        Assert.Contains("device lost", error.ToString());
    }
}
