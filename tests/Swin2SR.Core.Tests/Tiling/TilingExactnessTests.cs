using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Tiling;

/// <summary>
/// Property tests through the whole pipeline with models whose output is known in closed form: whatever the
/// image size, tile size and overlap, tiling, batching across images and stitching must reproduce the model's
/// whole-image output exactly.
/// </summary>
public class TilingExactnessTests
{
    public static TheoryData<string, int, int, int> NearestCases()
    {
        var data = new TheoryData<string, int, int, int>();
        var random = new Random(11);
        foreach (var model in new[] { "nearest-x2", "nearest-x4" })
        {
            foreach (int tile in new[] { 8, 16, 24, 40, 64 })
            {
                int overlap = random.Next(0, tile / 2 + 1);
                data.Add(model, tile, overlap, random.Next());
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(NearestCases))]
    public void Nearest_models_stitch_to_an_exact_nearest_upscale(string model, int tile, int overlap, int seed)
    {
        int scale = model.EndsWith("x4") ? 4 : 2;
        var random = new Random(seed);
        var sizes = new List<(int W, int H)> { (1, 1), (1, 7), (9, 1), (tile, tile), (tile + 1, tile - 1) };
        for (int i = 0; i < 6; i++)
            sizes.Add((random.Next(1, 3 * tile + 5), random.Next(1, 3 * tile + 5)));
        AssertPipelineMatches(model, tile, overlap, batch: random.Next(1, 6), sizes, random,
            (pixels, w, h) => TestImages.NearestUpscale(pixels, w, h, scale), scale);
    }

    [Theory]
    [InlineData(16, 4)]
    [InlineData(16, 8)]
    [InlineData(24, 12)]
    [InlineData(32, 5)]
    [InlineData(64, 16)]
    public void A_convolution_stitches_exactly_when_the_overlap_covers_its_receptive_field(int tile, int overlap)
    {
        var random = new Random(tile * 31 + overlap);
        var sizes = new List<(int W, int H)> { (2, 2), (3, 50), (tile, tile + 3), (2 * tile + 7, tile - 5), (3 * tile, 3 * tile + 1) };
        AssertPipelineMatches("boxblur-x2", tile, overlap, batch: 3, sizes, random, TestImages.BoxBlurNearest2x, 2);
    }

    [Fact]
    public void Without_overlap_a_convolution_shows_seams_so_the_exactness_check_can_fail()
    {
        using var folder = new TempFolder();
        var random = new Random(3);
        // 84, a window of edge context before it and 4 after = 3 x 32 (a tile size of 16 and room for the context):
        // the tiles abut exactly, with no overlap to hide their cut edges.
        var pixels = TestImages.RandomPixels(random, 84, 84);
        string input = folder.File("in.png");
        TestImages.SavePng(input, pixels, 84, 84);
        var options = new UpscaleOptions { TileSize = 16, TileOverlap = 0, BatchSize = 2, IoThreads = 1, MinConsistencyPsnr = 0 };
        var result = Assert.Single(PipelineRunner.Run(RepoPaths.TestModel("boxblur-x2"), [input], folder.File("out"), options));
        var actual = TestImages.LoadPixels(result.Item.OutputPath, out _, out _);
        Assert.NotEqual(TestImages.BoxBlurNearest2x(pixels, 84, 84), actual);
    }

    private static void AssertPipelineMatches(string model, int tile, int overlap, int batch, List<(int W, int H)> sizes, Random random,
        Func<SixLabors.ImageSharp.PixelFormats.Rgb24[], int, int, SixLabors.ImageSharp.PixelFormats.Rgb24[]> expected, int scale)
    {
        using var folder = new TempFolder();
        var originals = new Dictionary<string, (SixLabors.ImageSharp.PixelFormats.Rgb24[] Pixels, int W, int H)>();
        for (int i = 0; i < sizes.Count; i++)
        {
            var (w, h) = sizes[i];
            var pixels = TestImages.RandomPixels(random, w, h);
            string path = folder.File($"img{i}_{w}x{h}.png");
            TestImages.SavePng(path, pixels, w, h);
            originals[path] = (pixels, w, h);
        }
        // The gate is off: this test is about exact pixels, and a blur of a noise image a few pixels wide can fall under it.
        var options = new UpscaleOptions { TileSize = tile, TileOverlap = overlap, BatchSize = batch, IoThreads = 2, MaxImagesInFlight = 3, MinConsistencyPsnr = 0 };
        var results = PipelineRunner.Run(RepoPaths.TestModel(model), originals.Keys, folder.File("out"), options);

        Assert.Equal(sizes.Count, results.Count);
        foreach (var result in results)
        {
            Assert.True(result.Status == UpscaleStatus.Succeeded, result.Error?.Message);
            var (pixels, w, h) = originals[result.Item.InputPath];
            var actual = TestImages.LoadPixels(result.Item.OutputPath, out int ow, out int oh);
            Assert.Equal((w * scale, h * scale), (ow, oh));
            Assert.True(expected(pixels, w, h).AsSpan().SequenceEqual(actual), $"{Path.GetFileName(result.Item.InputPath)}: tile {tile}, overlap {overlap}");
        }
    }
}
