using System.Runtime.CompilerServices;
using SixLabors.ImageSharp.Metadata;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Tiling;

namespace Swin2SR.Core.Tests.Pipeline;

/// <summary>
/// An image that has left the pipeline keeps none of its pixels alive through what still refers to it: a device
/// worker's last tile stays in its frame until the next, and a large image's output held that way was still there,
/// uncollected, when the next image was decoded (docs/benchmarks.md, "Large images").
/// </summary>
public sealed class ImageWorkPixelsTests
{
    [Fact]
    public void A_tile_of_an_image_that_has_left_keeps_neither_its_input_nor_its_output_alive()
    {
        var (tile, input, output) = LeaveKeepingATile();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(input.IsAlive, "the input planes outlived the image");
        Assert.False(output.IsAlive, "the output canvas outlived the image");
        GC.KeepAlive(tile);
    }

    [Fact]
    public void A_tile_that_lands_after_its_image_has_left_is_dropped()
    {
        var work = NewWork(out _);
        var tile = work.Tiles().First();
        work.LetGoOfPixels();
        var tileOutput = new float[3 * tile.Shape.Pixels * 4];
        Assert.False(tile.Canvas.Add(tile.Index, tileOutput));
        Assert.Equal(0, tile.Canvas.Filled);
    }

    /// <summary>An image taken up and let go of, and one of its tiles still held, as a worker's frame holds its last.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (TileWork Tile, WeakReference Input, WeakReference Output) LeaveKeepingATile()
    {
        var work = NewWork(out var input);
        var tile = work.Tiles().First();
        var output = new WeakReference(work.Canvas.Output);
        work.LetGoOfPixels();
        return (tile, new WeakReference(input), output);
    }

    private static ImageWork NewWork(out PlanarImage input)
    {
        input = new PlanarImage(64, 48);
        var plan = new TilePlan(64, 48, TileShape.Square(32), 8, 2, 8);
        var source = new LoadedImage(input, null, new ImageTraits("PNG", 8, false, false), new ImageMetadata(), []);
        return new ImageWork(new UpscaleItem("in.png", "out.png", "PNG"), input, plan, new WorkTime(), Precision.Fp32) { Source = source };
    }
}
