using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Tiff.Constants;
using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>TIFF layouts ImageSharp 2.1 would decode into wrong pixels are refused; the layouts it reads right still load exactly.</summary>
public sealed class TiffLayoutTests : IDisposable
{
    private const int Width = 9, Height = 5;

    private readonly TempFolder _folder = new();
    private readonly ImageLoader _loader = new(ImageLimits.Default);

    public void Dispose() => _folder.Dispose();

    private static Rgb24 Pixel(int x, int y) => new((byte)(x * 29 + 3), (byte)(200 - y * 31), (byte)(x * y * 7 + 60));

    private string Save(string name, byte[] bytes)
    {
        string path = _folder.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_planar_tiff_with_a_predictor_is_UnsupportedFormat_and_says_how_to_resave_it(bool bigEndian)
    {
        string path = Save("planar.tif", HandMadeTiff.Rgb(Width, Height, Pixel, planar: true, predictor: 2, bigEndian));
        var error = Assert.Throws<ImageInputException>(() => _loader.Load(path, 2));
        Assert.Equal("UnsupportedFormat", error.ErrorId);
        Assert.Equal(ImageErrorKind.NotSupported, error.Kind);
        Assert.StartsWith(path + ": it is a TIFF whose colour channels are stored in separate planes (PlanarConfiguration 2) with a predictor (2, horizontal differencing)", error.Message);
        Assert.Contains("re-save it with contiguous (interleaved) pixel order", error.Reason);
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 2)]
    [InlineData(false, 1)]
    public void Planar_without_a_predictor_and_contiguous_with_one_load_exactly(bool planar, int predictor)
    {
        var loaded = _loader.Load(Save("ok.tif", HandMadeTiff.Rgb(Width, Height, Pixel, planar, predictor)), 2);
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
            {
                var p = Pixel(x, y);
                Assert.Equal((p.R, p.G, p.B), ((byte)Math.Round(loaded.Pixels[0, y, x] * 255), (byte)Math.Round(loaded.Pixels[1, y, x] * 255), (byte)Math.Round(loaded.Pixels[2, y, x] * 255)));
            }
    }

    /// <summary>
    /// A cut-out's alpha loads from an 8-bit RGBA TIFF whichever way it is stored: unassociated (ExtraSamples 2, as
    /// Photoshop saves it) as it is, associated (ExtraSamples 1, the colour premultiplied) with the colour divided by it,
    /// so that the model sees the same red in both and the output, whose alpha is unassociated, is not darkened.
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void An_rgba_tiff_loads_its_alpha_and_unpremultiplied_colour_whether_associated_or_not(ushort extraSamples)
    {
        // Opaque on the left column, half transparent elsewhere; red 200, 30, 30 under it.
        static byte Alpha(int x) => x == 0 ? (byte)255 : (byte)128;
        byte Stored(int level, int x) => (byte)(extraSamples == 1 ? Math.Round(level * Alpha(x) / 255.0) : level);
        var tiff = HandMadeTiff.Rgba(Width, Height, (x, y) => new Rgba32(Stored(200, x), Stored(30, x), Stored(30, x), Alpha(x)), extraSamples);
        var loaded = _loader.Load(Save("cutout.tif", tiff), 2);
        Assert.True(loaded.Traits.HasAlpha);
        Assert.Equal(128 / 255f, loaded.Alpha![4], 3);
        Assert.Equal(1f, loaded.Alpha[Width], 3);
        // Premultiplied 200 x 128/255 is stored as 100: divided back it is 199.2, within a level of 200.
        Assert.Equal(200 / 255f, loaded.Pixels[0, 2, 4], 2.5 / 255);
        Assert.Equal(30 / 255f, loaded.Pixels[1, 2, 4], 2.5 / 255);
    }

    /// <summary>
    /// Four RGB samples without the ExtraSamples tag that says what the fourth is: libtiff (its RGBA interface, as
    /// built by default), GIMP and ImageSharp all take it as alpha, so it is kept as alpha, unassociated as GIMP and
    /// ImageSharp read it, and the warning says so: a fourth sample that is no transparency (RGBX padding, a mask)
    /// would otherwise come out as one unsaid.
    /// </summary>
    [Fact]
    public void An_rgba_tiff_without_ExtraSamples_loads_its_fourth_sample_as_alpha_and_says_so()
    {
        static byte Alpha(int x) => x == 0 ? (byte)255 : (byte)128;
        var tiff = HandMadeTiff.WithoutFirstPageTag(HandMadeTiff.Rgba(Width, Height, (x, y) => new Rgba32(200, 30, 30, Alpha(x)), 2), HandMadeTiff.ExtraSamplesTag);
        var loaded = _loader.Load(Save("untagged.tif", tiff), 2);
        Assert.True(loaded.Traits.HasAlpha);
        Assert.Equal(128 / 255f, loaded.Alpha![4], 3);
        Assert.Equal(1f, loaded.Alpha[Width], 3);
        Assert.Equal(200 / 255f, loaded.Pixels[0, 2, 4], 0.5 / 255);
        Assert.Equal("it is a TIFF of 4 samples a pixel without an ExtraSamples tag to say what the 4th is: it is taken as " +
            "transparency (unassociated alpha), as GIMP and libtiff take it; if it is not, save the image as RGB first", Assert.Single(loaded.Warnings));
    }

    /// <summary>ImageSharp 2.1 decodes half floats into a dim, speckled picture; the 32-bit floats it reads right still load.</summary>
    [Fact]
    public void A_tiff_of_half_float_samples_is_UnsupportedFormat_and_one_of_32_bit_floats_loads()
    {
        static (float, float, float) Shade(int x, int y) => (x / (Width - 1f), y / (Height - 1f), 0.5f);
        string half = Save("half.tif", HandMadeTiff.RgbHalf(Width, Height, Shade));
        var error = Assert.Throws<ImageInputException>(() => _loader.Load(half, 2));
        Assert.Equal("UnsupportedFormat", error.ErrorId);
        Assert.StartsWith(half + ": it is a TIFF of 16-bit floating-point samples, which this decoder (ImageSharp 2.1) reads into wrong pixels", error.Message);
        Assert.Contains("magick in.tif -depth 16 out.png", error.Reason);
        var loaded = _loader.Load(Save("single.tif", HandMadeTiff.RgbFloat(Width, Height, Shade)), 2);
        // The top right pixel: full red, no green, half blue.
        Assert.Equal((255, 0, 128), (Level(loaded, 0, Width - 1, 0), Level(loaded, 1, Width - 1, 0), Level(loaded, 2, Width - 1, 0)));
    }

    /// <summary>
    /// Samples wider than 16 bits load at 16, the only depth an output holds: said, a float's clipping of what lies
    /// outside 0 to 1 (an HDR highlight) among it, as rounding 16 bits to 8 is said, instead of a 16-bit output unsaid.
    /// </summary>
    [Fact]
    public void A_tiff_of_32_bit_floats_or_integers_loads_at_16_bits_and_says_what_that_loses()
    {
        var floats = _loader.Load(Save("hdr.tif", HandMadeTiff.RgbFloat(Width, Height, (x, y) => (x * 0.5f - 0.25f, 0.5f, 0.5f))), 2);
        // -0.25 and 1.25 read as black and white.
        Assert.Equal((0, 255), (Level(floats, 0, 0, 0), Level(floats, 0, 3, 0)));
        Assert.Equal("it is a TIFF of 32-bit floating-point samples: they are read at 16 bits a sample, as no output holds more, values below 0 and above 1 (HDR highlights) clipped; "
            + "to keep them, tone-map or scale the image into 0 to 1 first", Assert.Single(floats.Warnings));
        var integers = _loader.Load(Save("wide.tif", HandMadeTiff.Rgb32(Width, Height, (x, y) => (uint)x << 28)), 2);
        Assert.Equal(128, Level(integers, 0, 8, 0));
        Assert.Equal("it is a TIFF of 32-bit samples: they are read at 16 bits a sample, as no output holds more, levels finer than 1/65535 rounded", Assert.Single(integers.Warnings));
        Assert.Empty(_loader.Load(Save("deep.tif", HandMadeTiff.Rgb48(Width, Height, (x, y) => new Rgb48(1, 2, 3))), 2).Warnings);
    }

    private static int Level(LoadedImage image, int channel, int x, int y) => (int)Math.Round(image.Pixels[channel, y, x] * 255);

    /// <summary>A bilevel page: black (0) and white (255) runs of several lengths, as on a scanned document.</summary>
    private static byte Ink(int x, int y) => (byte)((x / 3 + y / 2) % 2 == 0 ? 0 : 255);

    /// <summary>
    /// A fax-compressed page says by its PhotometricInterpretation which runs are white. ImageSharp writes them in
    /// WhiteIsZero; the same runs read as BlackIsZero are the negative of the page written (what libtiff shows).
    /// </summary>
    [Theory]
    [InlineData(TiffCompression.Ccitt1D, TiffPhotometricInterpretation.WhiteIsZero)]
    [InlineData(TiffCompression.Ccitt1D, TiffPhotometricInterpretation.BlackIsZero)]
    [InlineData(TiffCompression.CcittGroup3Fax, TiffPhotometricInterpretation.WhiteIsZero)]
    [InlineData(TiffCompression.CcittGroup3Fax, TiffPhotometricInterpretation.BlackIsZero)]
    [InlineData(TiffCompression.CcittGroup4Fax, TiffPhotometricInterpretation.WhiteIsZero)]
    [InlineData(TiffCompression.CcittGroup4Fax, TiffPhotometricInterpretation.BlackIsZero)]
    public void A_fax_compressed_page_loads_in_the_polarity_its_tiff_states(TiffCompression compression, TiffPhotometricInterpretation photometric)
    {
        const int width = 24, height = 8;
        using var page = FixtureImages.Pattern(width, height, (x, y) => new L8(Ink(x, y)));
        var tiff = FixtureImages.Encode(page, new TiffEncoder { BitsPerPixel = TiffBitsPerPixel.Bit1, Compression = compression });
        bool negative = photometric == TiffPhotometricInterpretation.BlackIsZero;
        if (negative)
            tiff = HandMadeTiff.WithFirstPageValue(tiff, HandMadeTiff.PhotometricTag, (ushort)photometric);
        var loaded = _loader.Load(Save("fax.tif", tiff), 2);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                Assert.Equal(negative ? 255 - Ink(x, y) : Ink(x, y), (int)Math.Round(loaded.Pixels[0, y, x] * 255));
    }

    /// <summary>
    /// BitsPerSample is 1 where a TIFF leaves it out (TIFF 6.0), as Pillow does for an uncompressed bilevel page;
    /// ImageSharp 2.1 requires the tag, and the file was refused as a damaged header.
    /// </summary>
    [Fact]
    public void A_bilevel_page_without_BitsPerSample_loads_as_one_bit()
    {
        const int width = 24, height = 8;
        using var page = FixtureImages.Pattern(width, height, (x, y) => new L8(Ink(x, y)));
        var tiff = HandMadeTiff.WithoutFirstPageTag(
            FixtureImages.Encode(page, new TiffEncoder { BitsPerPixel = TiffBitsPerPixel.Bit1, Compression = TiffCompression.None }),
            HandMadeTiff.BitsPerSampleTag);
        var path = Save("pillow.tif", tiff);
        Assert.Equal((width, height), (_loader.Identify(path, 2).Width, _loader.Identify(path, 2).Height));
        var loaded = _loader.Load(path, 2);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                Assert.Equal(Ink(x, y), (int)Math.Round(loaded.Pixels[0, y, x] * 255));
    }
}
