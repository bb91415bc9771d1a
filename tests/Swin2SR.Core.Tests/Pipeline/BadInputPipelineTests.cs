using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tga;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Jobs;
using Swin2SR.Core.Jobs.Sqlite;
using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Pipeline;

/// <summary>
/// Bad inputs and unwritable outputs in a real run: each is a Failed result with a stable id and a message that
/// names the file, the others succeed, nothing partial or temporary is left, and the journal holds the reason.
/// </summary>
public sealed class BadInputPipelineTests : IDisposable
{
    private static readonly string NearestX2 = RepoPaths.TestModel("nearest-x2");
    private static readonly UpscaleOptions Options = new() { TileSize = 32, TileOverlap = 8, BatchSize = 2, IoThreads = 1 };
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Input(string name, byte[] bytes)
    {
        string path = _folder.File("in", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Png(int width, int height) => FixtureImages.Encode(FixtureImages.Pattern(width, height, FixtureImages.Colour), new PngEncoder());

    /// <summary>The bad inputs of the hardening issue, each with the error id it must end with.</summary>
    private Dictionary<string, string> BadInputs()
    {
        var png = Png(40, 30);
        var jpeg = FixtureImages.Encode(FixtureImages.Pattern(40, 30, FixtureImages.Colour), new JpegEncoder());
        var bad = new Dictionary<string, string>
        {
            [Input("zero.png", [])] = "EmptyFile",
            [Input("cut.png", png[..(png.Length / 2)])] = "CorruptImage",
            [Input("cut.jpg", jpeg[..(jpeg.Length * 2 / 3)])] = "CorruptImage",
            [Input("notes.jpg", "not a picture"u8.ToArray())] = "UnsupportedFormat",
            [Input("arithmetic.jpg", File.ReadAllBytes(RepoPaths.Fixture("libjpeg-arithmetic.jpg")))] = "UnsupportedFormat",
            [Input("old.tga", FixtureImages.Encode(FixtureImages.Pattern(8, 8, FixtureImages.Colour), new TgaEncoder()))] = "UnsupportedFormat",
            [Input("bomb.png", FixtureImages.PngClaiming(100_000, 100_000))] = "ImageTooLarge",
            [Input("gone.png", png)] = "InputNotFound",
        };
        return bad;
    }

    private void AssertNothingLeftBut(string outputFolder, IEnumerable<string> expected)
    {
        var files = Directory.Exists(outputFolder)
            ? Directory.EnumerateFiles(outputFolder, "*", SearchOption.AllDirectories).Select(Path.GetFileName).Order().ToList()
            : [];
        Assert.Equal(expected.Order(), files);
    }

    [Fact]
    public void Every_bad_input_fails_alone_with_its_reason_and_the_good_ones_succeed()
    {
        var bad = BadInputs();
        var good = new[]
        {
            Input("good [1] 'quoted' \"double\" ünï 名前.png", Png(40, 30)),
            Input("dot.png", Png(1, 1)),
            Input("tall.png", Png(1, 5000)),
            Input("wide.png", Png(5000, 1)),
        };
        string listedThenDeleted = bad.Single(b => b.Value == "InputNotFound").Key;
        var items = OutputPlanner.Plan([.. bad.Keys, .. good], _folder.File("out"), OutputFormat.Same);
        File.Delete(listedThenDeleted);

        var results = RunItems(items);

        Assert.Equal(bad.Count + good.Length, results.Count);
        foreach (var (path, errorId) in bad)
        {
            var result = results.Single(r => r.Item.InputPath == path);
            Assert.Equal(UpscaleStatus.Failed, result.Status);
            Assert.Equal(errorId, result.Error!.ErrorId);
            Assert.StartsWith(path + ": ", result.Error.Message);
        }
        foreach (var path in good)
        {
            var result = results.Single(r => r.Item.InputPath == path);
            Assert.True(result.Status == UpscaleStatus.Succeeded, result.Error?.Message);
            var size = Image.Identify(result.Item.OutputPath);
            Assert.Equal((2 * result.InputWidth, 2 * result.InputHeight), (size.Width, size.Height));
        }
        AssertNothingLeftBut(_folder.File("out"), good.Select(Path.GetFileName)!);
    }

    private List<UpscaleResult> RunItems(IReadOnlyList<UpscaleItem> items, UpscaleOptions? options = null)
    {
        using var model = TileModel(NearestX2);
        var pipeline = UpscalePipeline.Start([model], items, options ?? Options, CancellationToken.None);
        var results = new List<UpscaleResult>();
        while (pipeline.Results.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            while (pipeline.Results.TryRead(out var result))
                results.Add(result);
        pipeline.Completion.GetAwaiter().GetResult();
        return results;
    }

    private static Swin2SR.Core.Inference.TileModel TileModel(string path) => Swin2SR.Core.Inference.TileModel.LoadCpu(path, cores: 1);

    [Fact]
    public async Task The_journal_holds_each_failure_with_its_reason_and_each_success_with_its_metrics()
    {
        var bad = BadInputs();
        string good = Input("good.png", Png(24, 16));
        File.Delete(bad.Single(b => b.Value == "InputNotFound").Key);
        using var store = new SqliteJobStore(_folder.File("jobs.db"));
        var options = new JobOptions { ModelPath = NearestX2, OutputDirectory = _folder.File("out"), TileSize = 32, TileOverlap = 8 };
        var (job, _, _) = JobPlanner.AddInputs(store, "hardening", options, [.. bad.Keys, good]);
        using var model = TileModel(NearestX2);
        var runner = JobRunner.Start(store, job, [model], [], CancellationToken.None);
        await foreach (var _ in runner.Results.ReadAllAsync())
        {
        }
        await runner.Completion;

        var items = store.Items(job.Id, null);
        foreach (var (path, errorId) in bad)
        {
            var item = items.Single(i => i.InputPath == path);
            Assert.Equal((ItemStatus.Failed, errorId), (item.Status, item.ErrorId));
            Assert.StartsWith(path + ": ", item.ErrorMessage);
        }
        var succeeded = items.Single(i => i.InputPath == good);
        Assert.Equal(ItemStatus.Succeeded, succeeded.Status);
        var metrics = Swin2SR.Core.Quality.QualityMetrics.FromJson(succeeded.Metrics);
        Assert.NotNull(metrics);
        Assert.True(metrics.ConsistencyPsnr > 100, $"nearest x2 shrinks back to its input exactly, not {metrics.ConsistencyPsnr} dB");
    }

    [Fact]
    public void An_input_whose_output_exists_is_skipped_without_reading_a_large_file_whole_for_its_size()
    {
        string small = Input("small.png", Png(16, 12));
        // A whole image followed by sparse padding, larger than any photo: the skip read all of it into memory to report 16x12.
        string large = Input("large.png", Png(16, 12));
        using (var file = new FileStream(large, FileMode.Open))
            file.SetLength(64 << 20);
        var items = OutputPlanner.Plan([small, large], _folder.File("out"), OutputFormat.Same);
        Directory.CreateDirectory(_folder.File("out"));
        foreach (var item in items)
            File.WriteAllBytes(item.OutputPath, Png(4, 4));

        var results = RunItems(items);

        Assert.All(results, r => Assert.Equal(UpscaleStatus.Skipped, r.Status));
        Assert.Equal(16, results.Single(r => r.Item.InputPath == small).InputWidth);
        Assert.Equal(0, results.Single(r => r.Item.InputPath == large).InputWidth);
    }

    [TmpfsFact]
    public void A_read_only_output_folder_fails_its_images_and_the_others_succeed()
    {
        string a = Input("a/one.png", Png(16, 16));
        string b = Input("b/two.png", Png(16, 16));
        string blocked = _folder.File("out", "b");
        Directory.CreateDirectory(blocked);
        using var readOnly = MountAt(blocked, 1 << 20, readOnly: true);
        var results = RunItems(OutputPlanner.Plan([a, b], _folder.File("out"), OutputFormat.Same));
        Assert.Equal(UpscaleStatus.Succeeded, results.Single(r => r.Item.InputPath == a).Status);
        var failed = results.Single(r => r.Item.InputPath == b);
        Assert.Equal("OutputNotWritable", failed.Error!.ErrorId);
        Assert.Contains(Path.Combine(blocked, "two.png"), failed.Error.Message);
    }

    [TmpfsFact]
    public void A_full_disk_fails_the_image_that_does_not_fit_and_leaves_no_partial_file()
    {
        var random = new Random(1);
        var noise = FixtureImages.Pattern(256, 256, (x, y) => new SixLabors.ImageSharp.PixelFormats.Rgba32((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), 255));
        string big = Input("big.png", FixtureImages.Encode(noise, new PngEncoder()));
        string small = Input("small.png", Png(8, 8));
        string output = _folder.File("full");
        Directory.CreateDirectory(output);
        using var disk = MountAt(output, 64 * 1024, readOnly: false);
        // Noise is about 3 bytes a pixel in PNG: the x2 output of 256x256 needs ~800 KB of the 64 KB.
        var results = RunItems(OutputPlanner.Plan([big, small], output, OutputFormat.Same));
        Assert.Equal("DiskFull", results.Single(r => r.Item.InputPath == big).Error!.ErrorId);
        Assert.Equal(UpscaleStatus.Succeeded, results.Single(r => r.Item.InputPath == small).Status);
        AssertNothingLeftBut(output, ["small.png"]);
    }

    /// <summary>A tmpfs mounted over an existing folder of the test (TmpfsFolder makes its own; here the place matters).</summary>
    private static IDisposable MountAt(string folder, long bytes, bool readOnly)
    {
        var mount = TmpfsFolder.Mount(bytes, readOnly);
        Directory.Delete(folder);
        File.CreateSymbolicLink(folder, mount.Path);
        return mount;
    }

    [Fact]
    public void An_output_path_over_the_platform_limit_fails_that_image_only()
    {
        // A 255-byte name is the most a file may have; as WebP its extension grows by one and it no longer fits.
        string longName = new string('n', PathLimits.MaxNameLength - 4) + ".jpe";
        string tooLong = Input(longName, FixtureImages.Encode(FixtureImages.Pattern(8, 8, FixtureImages.Colour), new JpegEncoder()));
        string fine = Input("fine.png", Png(8, 8));
        var results = RunItems(OutputPlanner.Plan([tooLong, fine], _folder.File("out"), OutputFormat.Webp));
        var failed = results.Single(r => r.Item.InputPath == tooLong);
        Assert.Equal("OutputPathTooLong", failed.Error!.ErrorId);
        Assert.Equal(UpscaleStatus.Succeeded, results.Single(r => r.Item.InputPath == fine).Status);
        AssertNothingLeftBut(_folder.File("out"), ["fine.webp"]);
    }

    [Fact]
    public void A_file_where_an_output_folder_would_be_fails_that_folders_images_at_once_naming_the_file()
    {
        string blocked = Input(Path.Combine("a", "photo.png"), Png(8, 8));
        string fine = Input(Path.Combine("b", "photo.png"), Png(8, 8));
        Directory.CreateDirectory(_folder.File("out"));
        File.WriteAllText(_folder.File("out", "a"), "a file, not a folder");
        var results = RunItems(OutputPlanner.Plan([blocked, fine], _folder.File("out"), OutputFormat.Same));
        var failed = results.Single(r => r.Item.InputPath == blocked);
        Assert.Equal("OutputNotWritable", failed.Error!.ErrorId);
        Assert.Contains($"'{_folder.File("out", "a")}' is a file, so the output folder cannot be made there", failed.Error.Message);
        Assert.Equal(0, failed.InputWidth); // refused before it was read
        Assert.Equal(UpscaleStatus.Succeeded, results.Single(r => r.Item.InputPath == fine).Status);
    }

    [Fact]
    public void An_output_wider_than_webp_can_hold_fails_before_it_is_upscaled_and_png_takes_it()
    {
        // x2 of 8200 pixels is 16400, past WebP's 14-bit width: its encoder would write a 16-pixel-wide header.
        string wide = Input("wide.png", Png(8200, 2));
        string fine = Input("fine.png", Png(8, 8));
        var results = RunItems(OutputPlanner.Plan([wide, fine], _folder.File("out"), OutputFormat.Webp));
        var failed = results.Single(r => r.Item.InputPath == wide);
        Assert.Equal("OutputTooLarge", failed.Error!.ErrorId);
        Assert.Equal(ImageErrorKind.LimitExceeded, failed.Error.Kind);
        Assert.StartsWith(wide + ": the output would be 16400x4, and Webp holds at most 16383", failed.Error.Message);
        Assert.Equal(UpscaleStatus.Succeeded, results.Single(r => r.Item.InputPath == fine).Status);
        AssertNothingLeftBut(_folder.File("out"), ["fine.webp"]);

        var png = Assert.Single(RunItems(OutputPlanner.Plan([wide], _folder.File("png"), OutputFormat.Png)));
        Assert.Equal(UpscaleStatus.Succeeded, png.Status);
        Assert.Equal(16400, SixLabors.ImageSharp.Image.Identify(png.Item.OutputPath).Width);
    }

    [Fact]
    public void A_failure_the_loader_did_not_foresee_fails_that_image_and_the_run_goes_on()
    {
        // A NUL in a path makes FileStream throw ArgumentException, which no decode handler expects.
        string good = Input("good.png", Png(8, 8));
        string odd = _folder.File("in", "odd\0name.png");
        var items = new List<UpscaleItem>
        {
            new(odd, _folder.File("out", "odd.png"), "PNG"),
            new(good, _folder.File("out", "good.png"), "PNG"),
        };
        var results = RunItems(items);
        var failed = results.Single(r => r.Item.InputPath == odd);
        Assert.Equal(UpscaleStatus.Failed, failed.Status);
        Assert.Equal("InputUnreadable", failed.Error!.ErrorId);
        Assert.Contains("ArgumentException", failed.Error.Message);
        Assert.Equal(UpscaleStatus.Succeeded, results.Single(r => r.Item.InputPath == good).Status);
    }

    [Fact]
    public async Task A_run_whose_item_source_fails_ends_with_that_failure_not_as_if_stopped()
    {
        // The stages stop with cancellations once one fails: what the run reports must be the cause, or a job would
        // end as if it had been stopped, its items left pending and nothing said.
        var items = System.Threading.Channels.Channel.CreateUnbounded<UpscaleItem>();
        using var model = TileModel(NearestX2);
        var pipeline = UpscalePipeline.Start([model], items.Reader, Options, CancellationToken.None);
        await Task.Delay(300);
        var cause = new IOException("the job store went away");
        items.Writer.TryComplete(cause);

        var reported = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await foreach (var _ in pipeline.Results.ReadAllAsync())
            {
            }
        });
        Assert.Same(cause, reported);
        Assert.Same(cause, await Assert.ThrowsAnyAsync<Exception>(() => pipeline.Completion));
    }
}
