using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>
/// A GIF's first image may cover only part of its logical screen: browsers show the rest transparent, so the
/// loader hands it over transparent, not as the opaque black its decoder leaves there.
/// </summary>
public sealed class GifCanvasTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ImageLoader _loader = new(ImageLimits.Default);

    public void Dispose() => _folder.Dispose();

    private static readonly Rgb24[] s_palette = [new(200, 30, 30), new(30, 200, 30), new(255, 255, 255)];

    private LoadedImage Load(byte[] gif)
    {
        string path = _folder.File("canvas.gif");
        File.WriteAllBytes(path, gif);
        return _loader.Load(path, 2);
    }

    private static byte[] Green(int width, int height) => Enumerable.Repeat((byte)1, width * height).ToArray();

    [Fact]
    public void A_first_frame_smaller_than_its_canvas_leaves_the_rest_transparent()
    {
        // A 64x48 canvas, a 32x24 frame at 16,12, on a white background colour.
        var loaded = Load(HandMadeGif.Still(64, 48, 16, 12, 32, Green(32, 24), s_palette, backgroundIndex: 2));
        Assert.NotNull(loaded.Alpha);
        for (int y = 0; y < 48; y++)
        {
            for (int x = 0; x < 64; x++)
            {
                bool covered = x is >= 16 and < 48 && y is >= 12 and < 36;
                Assert.True(loaded.Alpha[y * 64 + x] == (covered ? 1 : 0), $"alpha at {x},{y} is {loaded.Alpha[y * 64 + x]}");
            }
        }
        Assert.Equal(200 / 255f, loaded.Pixels[1, 20, 20], 3);
    }

    [Fact]
    public void A_first_frame_that_covers_its_canvas_stays_opaque()
    {
        var loaded = Load(HandMadeGif.Still(32, 24, 0, 0, 32, Green(32, 24), s_palette));
        Assert.Null(loaded.Alpha);
        Assert.Equal(200 / 255f, loaded.Pixels[1, 0, 0], 3);
    }

    [Fact]
    public void A_transparent_index_in_a_frame_on_a_larger_canvas_stays_transparent()
    {
        // Index 0 transparent in the frame's left half: the frame's own transparency and the canvas's add up.
        var indexes = Enumerable.Range(0, 32 * 24).Select(i => i % 32 < 16 ? (byte)0 : (byte)1).ToArray();
        var loaded = Load(HandMadeGif.Still(64, 48, 16, 12, 32, indexes, s_palette, transparentIndex: 0));
        Assert.NotNull(loaded.Alpha);
        Assert.Equal(0, loaded.Alpha[20 * 64 + 20]);
        Assert.Equal(1, loaded.Alpha[20 * 64 + 40]);
        Assert.Equal(0, loaded.Alpha[20 * 64 + 50]);
    }
}
