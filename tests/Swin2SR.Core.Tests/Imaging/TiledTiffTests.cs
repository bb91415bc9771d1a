using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>
/// A tiled TIFF (as archives, libvips and GDAL write them), which ImageSharp 2.1 refuses, is laid out in strips and
/// loads exactly, after its size was checked against the limits; tiles it cannot lay out are still refused with advice.
/// </summary>
public sealed class TiledTiffTests : IDisposable
{
    // Three tiles across and three down, those at the right and bottom edges only partly inside the image.
    private const int Width = 40, Height = 37, Tile = 16;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Levels no 8-bit level widened (a multiple of 257) equals: they survive only at 16 bits.</summary>
    private static Rgb48 Pixel(int x, int y) => new((ushort)(x * 1601 + y * 3 + 1), (ushort)(60000 - y * 1499), (ushort)(x * y * 41 + 7));

    private string Save(string name, byte[] bytes)
    {
        string path = _folder.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(2, true)]
    public void A_tiled_16_bit_tiff_loads_every_level_exactly(int predictor, bool bigEndian)
    {
        string path = Save("tiled.tif", HandMadeTiff.Rgb48Tiled(Width, Height, Tile, Pixel, predictor, bigEndian));
        var loaded = new ImageLoader(ImageLimits.Default).Load(path, 2);
        Assert.Equal(16, loaded.Traits.BitDepth);
        Assert.Empty(loaded.Warnings);
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
            {
                var p = Pixel(x, y);
                var read = ((ushort)Math.Round(loaded.Pixels[0, y, x] * 65535), (ushort)Math.Round(loaded.Pixels[1, y, x] * 65535), (ushort)Math.Round(loaded.Pixels[2, y, x] * 65535));
                Assert.True((p.R, p.G, p.B) == read, $"({x},{y}) is {read}, not {p}");
            }
    }

    [Fact]
    public void A_tiled_tiff_over_the_size_limit_is_refused_from_its_header()
    {
        string path = Save("tiled.tif", HandMadeTiff.Rgb48Tiled(Width, Height, Tile, Pixel));
        var error = Assert.Throws<ImageInputException>(() => new ImageLoader(new ImageLimits(0.001, 1)).Load(path, 2));
        Assert.Equal("ImageTooLarge", error.ErrorId);
    }

    /// <summary>A CMYK TIFF re-saved in strips (the advice for tiles the decoder cannot read) is still CMYK, which it cannot read either.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(Tile)]
    public void A_cmyk_tiff_tiled_or_not_is_refused_with_advice_to_convert_it_to_rgb(int tile)
    {
        string path = Save("print.tif", HandMadeTiff.Cmyk(Width, Height, (x, y) => [(uint)x, (uint)y, 0, 20], tile));
        var error = Assert.Throws<ImageInputException>(() => new ImageLoader(ImageLimits.Default).Load(path, 2));
        Assert.Equal("UnsupportedFormat", error.ErrorId);
        Assert.Contains("convert it to RGB, which keeps it a TIFF (for example: magick in.tif -colorspace sRGB out.tif, or for an 8-bit one libtiff's tiff2rgba -n in.tif out.tif)", error.Reason);
        Assert.DoesNotContain("tiffcp", error.Reason);
    }

    [Fact]
    public void A_tiled_tiff_is_refused_where_only_the_same_image_in_strips_fits_in_memory()
    {
        // x2, either needs 171,680 bytes for its pixels (ImageMemory); the tiled one also needs its copy laid out in
        // strips, its 8,880 bytes of samples uncompressed after the file, held while it is decoded. 90% of 195,000
        // bytes is 175,500: room for the pixels, not for the copy too.
        var limits = ImageLimits.Default with { MemoryBytes = 195_000 };
        string strips = Save("strips.tif", HandMadeTiff.Rgb48(Width, Height, Pixel));
        string tiled = Save("tiled.tif", HandMadeTiff.Rgb48Tiled(Width, Height, Tile, Pixel));

        Assert.Equal(Width, new ImageLoader(limits).Load(strips, 2).Pixels.Width);
        var error = Assert.Throws<ImageInputException>(() => new ImageLoader(limits).Load(tiled, 2));
        Assert.Equal("OutputTooLarge", error.ErrorId);
        Assert.Contains("of memory, more than the", error.Reason);
    }

    [Fact]
    public void Tiles_larger_than_the_image_are_not_laid_out_and_the_tiff_is_refused_with_advice()
    {
        // A crafted TileWidth: laying it out would decompress tiles of 4096 pixels a row for an image of 40 (a writer chooses 1024 at most).
        var bytes = HandMadeTiff.WithFirstPageValue(HandMadeTiff.Rgb48Tiled(Width, Height, Tile, Pixel), 322, 4096);
        Assert.Null(TiledTiff.InStrips(bytes));
        var error = Assert.Throws<ImageInputException>(() => new ImageLoader(ImageLimits.Default).Load(Save("crafted.tif", bytes), 2));
        Assert.Equal("UnsupportedFormat", error.ErrorId);
        Assert.Contains("re-save it in strips (for example: tiffcp -s in.tif out.tif)", error.Reason);
    }
}
