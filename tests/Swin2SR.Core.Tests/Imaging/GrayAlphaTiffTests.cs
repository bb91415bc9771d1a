using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>
/// A gray TIFF with alpha (a cut-out or mask from GIMP or libvips), which ImageSharp 2.1 refuses, loads its gray at
/// its own depth and its alpha, and an associated alpha's gray is divided by it.
/// </summary>
public sealed class GrayAlphaTiffTests : IDisposable
{
    private const int Width = 11, Height = 6;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Save(string name, byte[] bytes)
    {
        string path = _folder.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Levels of the depth, 16-bit ones no 8-bit level widened equals; the left column opaque, the rest partly transparent.</summary>
    private static (ushort Gray, ushort Alpha) Pixel(int bits, int x, int y) => bits == 8
        ? ((ushort)(x * 21 + y * 3 + 1), (ushort)(x == 0 ? 255 : 40 + x * 19 + y))
        : ((ushort)(x * 5801 + y * 3 + 1), (ushort)(x == 0 ? 65535 : 9000 + x * 4999 + y * 7));

    [Theory]
    [InlineData(8, 1)]
    [InlineData(8, 2)]
    [InlineData(16, 1)]
    [InlineData(16, 2)]
    public void An_unassociated_gray_alpha_tiff_loads_every_gray_and_alpha_level_at_its_depth(int bits, int predictor)
    {
        string path = Save("mask.tif", HandMadeTiff.GrayAlpha(Width, Height, bits, (x, y) => Pixel(bits, x, y), extraSamples: 2, predictor));
        var loaded = new ImageLoader(ImageLimits.Default).Load(path, 2);
        Assert.Equal(("TIFF", bits, true, true), (loaded.Traits.FormatName, loaded.Traits.BitDepth, loaded.Traits.IsGray, loaded.Traits.HasAlpha));
        double top = (1 << bits) - 1;
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
            {
                var p = Pixel(bits, x, y);
                var read = ((ushort)Math.Round(loaded.Pixels[0, y, x] * top), (ushort)Math.Round(loaded.Pixels[2, y, x] * top), (ushort)Math.Round(loaded.Alpha![y * Width + x] * top));
                Assert.True((p.Gray, p.Gray, p.Alpha) == read, $"({x},{y}) is {read}, not {p}");
            }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    public void A_gray_alpha_tiff_is_refused_where_its_pixels_fit_in_memory_but_not_its_split_copy_beside_them(int tile)
    {
        // Two tiles a side when tiled (tiles are 16 pixels a side at least, and no larger than the image).
        const int width = 32, height = 32;
        byte[] bytes = HandMadeTiff.GrayAlpha(width, height, 8, (x, y) => ((ushort)(x * 7 + y), (ushort)(255 - x * 4 - y)), extraSamples: 2, tile: tile);
        string path = Save("mask.tif", bytes);
        // x2, its pixels need 20 bytes an input pixel and 24 an output one (ImageMemory); reading it also holds its
        // samples uncompressed (2 bytes a pixel), the alpha (2) and the gray page: the file again and 1 byte a pixel.
        // A tiled one is laid out in strips first, a copy of the file with its samples uncompressed after it.
        long pixels = width * height * 20L + width * height * 4 * 24L;
        long split = width * height * 5L + bytes.Length + (tile > 0 ? bytes.Length + width * height * 2L : 0);
        // An image may use 90% of the memory (rounded down: one byte more keeps the whole copy within it).
        long pixelsAndHalfTheCopy = (long)Math.Ceiling((pixels + split / 2) / 0.9), pixelsAndTheCopy = (long)Math.Ceiling((pixels + split) / 0.9) + 1;

        Assert.True(new ImageLoader(ImageLimits.Default with { MemoryBytes = pixelsAndTheCopy }).Load(path, 2).Traits.HasAlpha);
        var error = Assert.Throws<ImageInputException>(() => new ImageLoader(ImageLimits.Default with { MemoryBytes = pixelsAndHalfTheCopy }).Load(path, 2));
        Assert.Equal("OutputTooLarge", error.ErrorId);
    }

    [Fact]
    public void An_associated_alpha_has_its_gray_divided_by_it()
    {
        // Gray 200 under alpha 128, stored premultiplied as 100; opaque in the left column.
        static byte Alpha(int x) => x == 0 ? (byte)255 : (byte)128;
        string path = Save("premultiplied.tif", HandMadeTiff.GrayAlpha(Width, Height, 8, (x, y) => ((ushort)Math.Round(200 * Alpha(x) / 255.0), Alpha(x)), extraSamples: 1));
        var loaded = new ImageLoader(ImageLimits.Default).Load(path, 2);
        Assert.Equal(128 / 255f, loaded.Alpha![3], 3);
        Assert.Equal(200 / 255f, loaded.Pixels[0, 2, 3], 2.5 / 255);
        Assert.Equal(200 / 255f, loaded.Pixels[1, 2, 0], 0.5 / 255);
    }
}
