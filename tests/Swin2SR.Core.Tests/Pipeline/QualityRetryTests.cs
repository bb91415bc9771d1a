using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Devices;
using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Tests.Support;
using Swin2SR.Core.Tiling;

namespace Swin2SR.Core.Tests.Pipeline;

/// <summary>
/// What happens before an output that failed the quality gate counts as failed: fp16 is redone in fp32, an image
/// of several tiles is redone with twice the overlap, and only then the image fails. Real sessions throughout.
/// </summary>
public sealed class QualityRetryTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Picture(string name, int size)
    {
        Directory.CreateDirectory(_folder.File("in"));
        string path = _folder.File("in", name);
        TestImages.SavePng(path, TestImages.GradientsAndNoise(new Random(size), size, size), size, size);
        return path;
    }

    private static UpscaleOptions Options => new() { TileSize = 16, TileOverlap = 4, BatchSize = 2, IoThreads = 1 };

    private TileModel Fp16(string model) =>
        TileModel.LoadCpu(RepoPaths.TestModel(model), cores: 1, new OptimizedGraphCache(_folder.File("cache")), Precision.Fp16);

    [Fact]
    public void A_sound_fp16_output_is_written_as_fp16()
    {
        string input = Picture("picture.png", 40);
        using var model = Fp16("nearest-x2");
        var result = Assert.Single(PipelineRunner.Run([model], [input], _folder.File("out"), Options, out _));
        Assert.Equal(UpscaleStatus.Succeeded, result.Status);
        Assert.Equal(Precision.Fp16, result.Precision);
        Assert.Empty(result.Warnings!);
        // Nearest-neighbour copies each value; k/255 in half is off by under 0.13 levels, so the 8-bit output is exact.
        var pixels = TestImages.LoadPixels(input, out int w, out int h);
        Assert.Equal(TestImages.NearestUpscale(pixels, w, h, 2), TestImages.LoadPixels(result.Item.OutputPath, out _, out _));
    }

    [Fact]
    public void An_fp16_output_with_NaN_is_redone_in_fp32_and_written_as_fp32()
    {
        string input = Picture("picture.png", 40);
        using var model = Fp16("nearest-x2");
        var runner = new NaNInFp16(model);
        var result = Assert.Single(PipelineRunner.Run([runner], [input], _folder.File("out"), Options, out _));

        Assert.True(result.Status == UpscaleStatus.Succeeded, result.Error?.Message);
        Assert.Equal(Precision.Fp32, result.Precision);
        string warning = Assert.Single(result.Warnings!);
        Assert.Contains("redone in fp32", warning);
        Assert.Contains("NaN", warning);
        Assert.True(runner.Fp16Tiles > 0 && runner.Fp32Tiles == runner.Fp16Tiles, $"fp16 {runner.Fp16Tiles}, fp32 {runner.Fp32Tiles}");
        var pixels = TestImages.LoadPixels(input, out int w, out int h);
        Assert.Equal(TestImages.NearestUpscale(pixels, w, h, 2), TestImages.LoadPixels(result.Item.OutputPath, out _, out _));
    }

    [Fact]
    public void A_rejected_image_of_several_tiles_is_redone_with_a_wider_overlap_before_it_fails()
    {
        // The negative of a picture never passes: both attempts are made, then the image fails, nothing written.
        string input = Picture("picture.png", 24);
        using var runner = new ScriptedRunner(RepoPaths.TestModel("invert-x2"), "cpu");
        var result = Assert.Single(PipelineRunner.Run([runner], [input], _folder.File("out"), Options, out _));

        Assert.Equal(UpscaleStatus.Failed, result.Status);
        Assert.Equal("QualityCheckFailed", result.Error!.ErrorId);
        Assert.Contains("also when redone with a tile overlap of 8 (was 4)", result.Error.Message);
        var tile = TileShape.Square(Options.TileSize + TileAxis.ContextRoom(8));
        int firstCut = new TilePlan(24, 24, tile, 4, 2, 8).Count, secondCut = new TilePlan(24, 24, tile, 8, 2, 8).Count;
        Assert.True(firstCut > 1, $"{firstCut} tiles: the picture must be cut for a wider overlap to be tried");
        Assert.Equal(firstCut + secondCut, runner.Shapes.Sum(s => s.Batch));
        Assert.False(Directory.Exists(_folder.File("out")) && Directory.EnumerateFileSystemEntries(_folder.File("out")).Any());
    }

    [Fact]
    public void A_rejected_image_of_one_tile_fails_without_a_redo()
    {
        string input = Picture("small.png", 16);
        using var runner = new ScriptedRunner(RepoPaths.TestModel("invert-x2"), "cpu");
        var result = Assert.Single(PipelineRunner.Run([runner], [input], _folder.File("out"), Options, out _));

        Assert.Equal("QualityCheckFailed", result.Error!.ErrorId);
        Assert.DoesNotContain("also when", result.Error.Message);
        Assert.Equal(1, runner.Shapes.Sum(s => s.Batch));
    }

    [Theory]
    [InlineData(Precision.Fp16, 128, 16, 9, false, 16, Precision.Fp32)]   // fp16 first goes to fp32, same overlap
    [InlineData(Precision.Fp32, 128, 16, 9, false, 32, Precision.Fp32)]   // then twice the overlap
    [InlineData(Precision.Fp32, 128, 0, 9, false, 8, Precision.Fp32)]     // no overlap: one window
    [InlineData(Precision.Fp32, 32, 12, 9, false, 16, Precision.Fp32)]    // at most half the tile
    public void The_policy_tries_fp32_then_a_wider_overlap(Precision precision, int tile, int overlap, int tiles, bool widened, int nextOverlap, Precision nextPrecision)
    {
        var redo = QualityRetry.Next(precision, tile, overlap, tiles, widened, window: 8);
        Assert.NotNull(redo);
        Assert.Equal(nextOverlap, redo.Value.Overlap);
        Assert.Equal(nextPrecision, redo.Value.Precision);
    }

    [Theory]
    [InlineData(9, 32)]  // several tiles: straight to a wider overlap, still in fp16
    [InlineData(1, null)] // one tile: nothing to try
    public void A_model_that_computes_in_half_only_is_not_redone_in_fp32(int tiles, int? nextOverlap)
    {
        var redo = QualityRetry.Next(Precision.Fp16, 128, 16, tiles, overlapWidened: false, window: 8, halfOnly: true);

        Assert.Equal(nextOverlap, redo?.Overlap);
        if (redo is { } next)
            Assert.Equal(Precision.Fp16, next.Precision);
    }

    [Theory]
    [InlineData(128, 16, 1, false)]  // one tile: no seam to widen
    [InlineData(128, 16, 9, true)]   // widened once already
    [InlineData(32, 16, 9, false)]   // already half the tile
    public void The_policy_gives_up_when_nothing_is_left_to_try(int tile, int overlap, int tiles, bool widened) =>
        Assert.Null(QualityRetry.Next(Precision.Fp32, tile, overlap, tiles, widened, window: 8));

    /// <summary>A real fp16 session whose fp16 outputs come back as NaN (a half-precision overflow); fp32 runs are untouched.</summary>
    private sealed class NaNInFp16(TileModel model) : ITileRunner
    {
        public int Fp16Tiles { get; private set; }
        public int Fp32Tiles { get; private set; }
        public ModelContract Contract => model.Contract;
        public string Path => model.Path;
        public string Device => model.Device;
        public DeviceKind Kind => model.Kind;
        public Precision Precision => model.Precision;

        public void Run(float[] input, float[] output, int batch, TileShape tile, Precision precision)
        {
            model.Run(input, output, batch, tile, precision);
            if (precision == Precision.Fp16)
            {
                Fp16Tiles += batch;
                output.AsSpan(0, (int)(batch * 3 * tile.Pixels * 4)).Fill(float.NaN);
            }
            else
            {
                Fp32Tiles += batch;
            }
        }

        public DeviceMemory? Memory() => null;

        public void Terminate() => model.Terminate();

        public void Dispose()
        {
        }
    }
}
