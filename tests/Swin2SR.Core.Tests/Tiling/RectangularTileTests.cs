using Swin2SR.Core.Imaging;
using Swin2SR.Core.Inference.Devices;
using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Tests.Support;
using Swin2SR.Core.Tiling;

namespace Swin2SR.Core.Tests.Tiling;

/// <summary>
/// Tiles whose width and height differ, as a run on CPUs alone plans them: each side chosen on its own, read and
/// stitched with its own stride, and square again wherever a GPU runs.
/// </summary>
public sealed class RectangularTileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_one_tile_plan_is_the_image_and_its_edge_context_and_nothing_more()
    {
        // 57x86: a window (8) before it, after it up to a multiple of 8 with at least 4: 8 + 64 by 8 + 96.
        var plan = new TilePlan(57, 86, new TileShape(72, 104), 16, scale: 4, align: 8);
        Assert.Equal(1, plan.Count);
        Assert.Equal(72 * 104, plan.ComputedPixels);
        Assert.Equal([-8], plan.Columns.Starts);
        Assert.Equal([-8], plan.Rows.Starts);
        Assert.Equal((57 * 4, 86 * 4), (plan.Columns.OutputExtent(0), plan.Rows.OutputExtent(0)));
        Assert.Equal((TileAxis.EdgeContext, TileAxis.EdgeContext), (plan.Columns.Context, plan.Rows.Context));
        Assert.Equal(0, plan.SeamedSide);
    }

    [Fact]
    public void Each_axis_takes_at_most_half_its_own_side_as_overlap()
    {
        // 40 is the overlap asked for: the 48-pixel side takes 24; the 144-pixel side all 40.
        var plan = new TilePlan(400, 300, new TileShape(144, 48), 40, scale: 2, align: 8);
        Assert.True(plan.Columns.Count > 1 && plan.Rows.Count > 1);
        Assert.Equal(144, plan.SeamedSide);
        Assert.All(plan.Columns.Starts.Zip(plan.Columns.Starts.Skip(1)), p => Assert.True(p.First + 144 - p.Second >= 40));
        Assert.All(plan.Rows.Starts.Zip(plan.Rows.Starts.Skip(1)), p => Assert.True(p.First + 48 - p.Second >= 24));
        // ... and no more where the grid allows: uncapped, every row tile would overlap the next by 40.
        Assert.Contains(plan.Rows.Starts.Zip(plan.Rows.Starts.Skip(1)), p => p.First + 48 - p.Second == 24);
        // A strip cut only along its width: the seams are across the width, whose side bounds a wider overlap.
        Assert.Equal(144, new TilePlan(400, 20, new TileShape(144, 32), 16, scale: 2, align: 8).SeamedSide);
        Assert.Equal(32, new TilePlan(20, 400, new TileShape(144, 32), 16, scale: 2, align: 8).SeamedSide);
    }

    /// <summary>
    /// Tiles read from the image, upscaled by nearest neighbour and stitched in a scrambled order give the nearest
    /// upscale of the whole image: every tile's rows and columns landed where they belong, with the width's stride
    /// and not the height's.
    /// </summary>
    [Theory]
    [InlineData(150, 100, 64, 48)]
    [InlineData(100, 150, 48, 96)]
    [InlineData(13, 200, 32, 72)]
    public void Tiles_of_unequal_sides_read_and_stitch_to_the_whole_image(int width, int height, int tileWidth, int tileHeight)
    {
        const int scale = 2;
        var random = new Random(width * 7 + height);
        var image = new PlanarImage(width, height, Enumerable.Range(0, 3 * width * height).Select(_ => random.NextSingle()).ToArray());
        var tile = new TileShape(tileWidth, tileHeight);
        var plan = new TilePlan(width, height, tile, 16, scale, align: 8);
        Assert.True(plan.Count > 1, "the image is cut in several tiles");
        var canvas = new StitchCanvas(plan, width, height);
        var input = new float[3 * tile.Pixels];
        var output = new float[input.Length * scale * scale];
        foreach (int index in Enumerable.Range(0, plan.Count).OrderBy(_ => random.Next()))
        {
            TileReader.Read(image, plan, index, input);
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < tileHeight * scale; y++)
                    for (int x = 0; x < tileWidth * scale; x++)
                        output[(c * tileHeight * scale + y) * tileWidth * scale + x] = input[(c * tileHeight + y / scale) * tileWidth + x / scale];
            canvas.Add(index, output);
        }
        Assert.Equal(1.0, canvas.Filled);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < height * scale; y++)
                for (int x = 0; x < width * scale; x++)
                    Assert.Equal(image[c, y / scale, x / scale], canvas.Output[c, y, x], 1e-6f); // the weights sum to one in float
    }

    [Fact]
    public void On_the_cpu_a_thumbnail_is_computed_as_one_tile_of_its_extended_size()
    {
        using var device = new ScriptedRunner(RepoPaths.TestModel("nearest-x2"), "cpu");
        UpscaleThumbnail(device);
        Assert.Equal([(1, new TileShape(72, 104))], device.Shapes);
    }

    [Fact]
    public void Out_of_memory_cuts_a_rectangle_again_with_its_longer_side_shortened()
    {
        // Nothing over 72x96 fits: the 72x104 tile fails, its height steps down to the next size, 96.
        using var device = new ScriptedRunner(RepoPaths.TestModel("nearest-x2"), "cpu",
            (_, batch, tile) => batch * tile.Pixels > 72 * 96 ? new Core.Inference.DeviceOutOfMemoryException("cpu", batch, tile) : null);
        var notes = UpscaleThumbnail(device);
        Assert.Contains(notes, n => n.Contains("out of memory with one 72x104 tile") && n.Contains("cut again into 72x96 tiles"));
        Assert.Equal([(1, new TileShape(72, 96)), (1, new TileShape(72, 96))], device.Shapes);
    }

    [Fact]
    public void Where_a_gpu_runs_the_tiles_stay_square()
    {
        using var device = new ScriptedRunner(RepoPaths.TestModel("nearest-x2"), "cuda:0", kind: DeviceKind.Cuda);
        UpscaleThumbnail(device);
        Assert.NotEmpty(device.Shapes);
        Assert.All(device.Shapes, s => Assert.Equal(s.Tile.Width, s.Tile.Height));
    }

    /// <summary>
    /// Upscales a 57x86 thumbnail (Set5's woman at x4 is that size) with a nearest-neighbour model, checks that the
    /// output is exactly its nearest upscale, and returns what the scheduler noted.
    /// </summary>
    private List<string> UpscaleThumbnail(ScriptedRunner device)
    {
        var pixels = TestImages.RandomPixels(new Random(57), 57, 86);
        string input = _folder.File("thumbnail.png");
        TestImages.SavePng(input, pixels, 57, 86);
        var options = new UpscaleOptions { TileOverlap = 16, BatchSize = 1, IoThreads = 1, MinConsistencyPsnr = 0 };
        var result = Assert.Single(PipelineRunner.Run([device], [input], _folder.File("out-" + device.Device), options, out var notes));

        Assert.True(result.Status == UpscaleStatus.Succeeded, result.Error?.Message);
        Assert.Equal(TestImages.NearestUpscale(pixels, 57, 86, 2), TestImages.LoadPixels(result.Item.OutputPath, out _, out _));
        return notes;
    }
}
