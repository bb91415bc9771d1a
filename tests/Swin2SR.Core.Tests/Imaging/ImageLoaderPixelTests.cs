using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>Colour models, bit depths, alpha and orientation: what the loader hands the model, and what it remembers for the writer.</summary>
public sealed class ImageLoaderPixelTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ImageLoader _loader = new(ImageLimits.Default);

    public void Dispose() => _folder.Dispose();

    private LoadedImage Load(string name, byte[] bytes)
    {
        string path = _folder.File(name);
        File.WriteAllBytes(path, bytes);
        return _loader.Load(path, 2);
    }

    private static void AssertPixel(LoadedImage image, int x, int y, (double R, double G, double B) expected, double tolerance)
    {
        Assert.InRange(image.Pixels[0, y, x] * 255, expected.R - tolerance, expected.R + tolerance);
        Assert.InRange(image.Pixels[1, y, x] * 255, expected.G - tolerance, expected.G + tolerance);
        Assert.InRange(image.Pixels[2, y, x] * 255, expected.B - tolerance, expected.B + tolerance);
    }

    // Ink amounts (0-1) of four 8x8 blocks: cyan, magenta + black, yellow + cyan, and no ink.
    private static readonly double[][] s_inks = [[1, 0, 0, 0], [0, 0.6, 0, 0.3], [0.5, 0, 0.8, 0], [0, 0, 0, 0]];

    /// <summary>Subtractive mixing as every CMYK reader renders it without a profile: each channel is (1 - ink)(1 - black).</summary>
    private static (double R, double G, double B) InkToRgb(double[] ink) =>
        (255 * (1 - ink[0]) * (1 - ink[3]), 255 * (1 - ink[1]) * (1 - ink[3]), 255 * (1 - ink[2]) * (1 - ink[3]));

    [Fact]
    public void A_cmyk_jpeg_decodes_to_the_colours_of_its_inks()
    {
        // Adobe CMYK JPEGs store inverted values: 255 is no ink.
        var jpeg = HandMadeJpeg.Encode(2, 2, 4, (c, r) => s_inks[r * 2 + c].Select(i => (byte)Math.Round(255 * (1 - i))).ToArray(), HandMadeJpeg.AdobeUnknown);
        var loaded = Load("cmyk.jpg", jpeg);
        for (int block = 0; block < 4; block++)
            AssertPixel(loaded, block % 2 * 8 + 3, block / 2 * 8 + 3, InkToRgb(s_inks[block]), 2);
        Assert.Equal("JPEG", loaded.Traits.FormatName);
        Assert.False(loaded.Traits.IsGray);
    }

    [Fact]
    public void A_ycck_jpeg_decodes_to_the_colours_of_its_inks()
    {
        // YCCK: the C, M, Y inks are stored as if they were R, G, B, converted to YCbCr (JFIF); K is inverted as in CMYK.
        var jpeg = HandMadeJpeg.Encode(2, 2, 4, (c, r) =>
        {
            var ink = s_inks[r * 2 + c];
            double red = 255 * ink[0], green = 255 * ink[1], blue = 255 * ink[2];
            return
            [
                Byte(0.299 * red + 0.587 * green + 0.114 * blue),
                Byte(128 - 0.168736 * red - 0.331264 * green + 0.5 * blue),
                Byte(128 + 0.5 * red - 0.418688 * green - 0.081312 * blue),
                Byte(255 * (1 - ink[3])),
            ];
        }, HandMadeJpeg.AdobeYcck);
        var loaded = Load("ycck.jpg", jpeg);
        for (int block = 0; block < 4; block++)
            AssertPixel(loaded, block % 2 * 8 + 3, block / 2 * 8 + 3, InkToRgb(s_inks[block]), 3);
    }

    [Fact]
    public void A_progressive_jpeg_decodes()
    {
        var colours = new (double R, double G, double B)[] { (200, 40, 40), (30, 160, 220), (250, 250, 250), (10, 90, 10) };
        var jpeg = HandMadeJpeg.Encode(2, 2, 3, (c, r) =>
        {
            var (red, green, blue) = colours[r * 2 + c];
            return [Byte(0.299 * red + 0.587 * green + 0.114 * blue), Byte(128 - 0.168736 * red - 0.331264 * green + 0.5 * blue), Byte(128 + 0.5 * red - 0.418688 * green - 0.081312 * blue)];
        }, progressive: true);
        Assert.True(jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xC2]) > 0, "no SOF2 (progressive) marker");
        var loaded = Load("progressive.jpg", jpeg);
        for (int block = 0; block < 4; block++)
            AssertPixel(loaded, block % 2 * 8 + 4, block / 2 * 8 + 4, colours[block], 2);
    }

    private static byte Byte(double value) => (byte)Math.Clamp(Math.Round(value), 0, 255);

    [Fact]
    public void A_16_bit_png_keeps_16_bit_precision()
    {
        using var image = FixtureImages.Pattern(8, 4, (x, y) => new Rgb48((ushort)(x * 8191 + y), (ushort)(65535 - x * 3 - y * 1000), (ushort)(257 * y + 1)));
        var loaded = Load("deep.png", FixtureImages.Encode(image, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Rgb }));
        Assert.Equal(16, loaded.Traits.BitDepth);
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 8; x++)
            {
                var p = image[x, y];
                // Within a quarter of a 16-bit step: an 8-bit path would be off by up to 128 steps.
                Assert.Equal(p.R / 65535.0, loaded.Pixels[0, y, x], 1.0 / 65535 / 4);
                Assert.Equal(p.G / 65535.0, loaded.Pixels[1, y, x], 1.0 / 65535 / 4);
                Assert.Equal(p.B / 65535.0, loaded.Pixels[2, y, x], 1.0 / 65535 / 4);
            }
        Assert.Equal(8, Load("shallow.png", FixtureImages.Encode(FixtureImages.Pattern(4, 4, FixtureImages.Colour), new PngEncoder())).Traits.BitDepth);
    }

    [Fact]
    public void Grayscale_is_replicated_to_rgb_and_remembered()
    {
        using var image = FixtureImages.Pattern(6, 5, (x, y) => new L8((byte)(x * 40 + y)));
        var png = Load("gray.png", FixtureImages.Encode(image, new PngEncoder { ColorType = PngColorType.Grayscale }));
        var jpeg = Load("gray.jpg", FixtureImages.Encode(image, new JpegEncoder { ColorType = JpegColorType.Luminance }));
        foreach (var loaded in new[] { png, jpeg })
        {
            Assert.True(loaded.Traits.IsGray);
            Assert.Null(loaded.Alpha);
            Assert.Equal(loaded.Pixels.Plane(0).ToArray(), loaded.Pixels.Plane(1).ToArray());
            Assert.Equal(loaded.Pixels.Plane(0).ToArray(), loaded.Pixels.Plane(2).ToArray());
        }
        Assert.Equal(4 * 40 + 3, png.Pixels[0, 3, 4] * 255, 3);
        Assert.False(Load("colour.png", FixtureImages.Encode(FixtureImages.Pattern(4, 4, FixtureImages.Colour), new PngEncoder())).Traits.IsGray);
    }

    /// <summary>
    /// BMP and GIF have no gray colour type: grayscale, and a scanner's black and white, is stored there as a palette
    /// of grays, which must count as gray for the output to stay gray.
    /// </summary>
    [Fact]
    public void An_indexed_image_whose_palette_is_all_gray_is_remembered_as_gray()
    {
        using var gray = FixtureImages.Pattern(6, 5, (x, y) => new L8((byte)(x * 40 + y)));
        // 8 wide: ImageSharp 2.1 writes 1-bit rows of whole bytes only.
        using var blackAndWhite = FixtureImages.Pattern(8, 5, (x, y) => new L8((byte)((x + y) % 2 * 255)));
        Assert.True(Load("gray8.bmp", FixtureImages.Encode(gray, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel8 })).Traits.IsGray);
        Assert.True(Load("bw1.bmp", FixtureImages.Encode(blackAndWhite, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel1 })).Traits.IsGray);
        Assert.True(Load("gray.gif", FixtureImages.Encode(gray, new GifEncoder())).Traits.IsGray);
        var grayPalette = FixtureImages.Encode(gray, new PngEncoder { ColorType = PngColorType.Palette });
        Assert.True(Load("gray-palette.png", grayPalette).Traits.IsGray);
        // A palette's ICC profile is one for RGB, which a gray output would have to drop.
        Assert.False(Load("gray-palette-icc.png", FixtureImages.WithChunk(grayPalette, "iCCP", FixtureImages.IccChunkData(FixtureImages.IccProfile("display")))).Traits.IsGray);

        using var colour = FixtureImages.Pattern(6, 5, FixtureImages.Colour);
        Assert.False(Load("colour8.bmp", FixtureImages.Encode(colour, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel8 })).Traits.IsGray);
        Assert.False(Load("colour.gif", FixtureImages.Encode(colour, new GifEncoder())).Traits.IsGray);
        // A 24-bit BMP of gray pixels is a colour image that happens to be gray (the model's output keeps its colours).
        Assert.False(Load("gray24.bmp", FixtureImages.Encode(gray, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 })).Traits.IsGray);
    }

    [Fact]
    public void Grayscale_with_alpha_keeps_both()
    {
        using var image = FixtureImages.Pattern(6, 5, (x, y) => new La16((byte)(x * 40), (byte)(y * 60)));
        var loaded = Load("gray-alpha.png", FixtureImages.Encode(image, new PngEncoder { ColorType = PngColorType.GrayscaleWithAlpha }));
        Assert.True(loaded.Traits.IsGray);
        Assert.True(loaded.Traits.HasAlpha);
        Assert.Equal(3 * 60 / 255f, loaded.Alpha![3 * 6 + 2], 4);
    }

    [Fact]
    public void A_palette_png_with_transparency_keeps_its_alpha()
    {
        using var image = FixtureImages.Pattern(4, 4, (x, y) => x < 2 ? new Rgba32(255, 0, 0, 0) : new Rgba32(0, 200, 0, 255));
        var loaded = Load("palette.png", FixtureImages.Encode(image, new PngEncoder { ColorType = PngColorType.Palette }));
        Assert.True(loaded.Traits.HasAlpha);
        Assert.Equal(0f, loaded.Alpha![0]);
        Assert.Equal(1f, loaded.Alpha[3]);
    }

    [Fact]
    public void Rgba_keeps_alpha_and_the_colour_under_transparent_pixels_comes_from_the_visible_ones()
    {
        // A visible orange square in the middle; everything around it transparent black.
        using var image = FixtureImages.Pattern(16, 16, (x, y) => x is >= 6 and < 10 && y is >= 6 and < 10 ? new Rgba32(240, 120, 20, 255) : new Rgba32(0, 0, 0, 0));
        var loaded = Load("rgba.png", FixtureImages.Encode(image, new PngEncoder { ColorType = PngColorType.RgbWithAlpha }));
        Assert.True(loaded.Traits.HasAlpha);
        for (int y = 0; y < 16; y++)
            for (int x = 0; x < 16; x++)
                AssertPixel(loaded, x, y, (240, 120, 20), 0.5);
        Assert.Equal(0f, loaded.Alpha![0]);
        Assert.Equal(1f, loaded.Alpha[7 * 16 + 7]);
    }

    [Fact]
    public void An_opaque_rgba_image_has_no_alpha_to_carry()
    {
        using var image = FixtureImages.Pattern(4, 4, FixtureImages.Colour);
        var loaded = Load("opaque.png", FixtureImages.Encode(image, new PngEncoder { ColorType = PngColorType.RgbWithAlpha }));
        Assert.False(loaded.Traits.HasAlpha);
        Assert.Null(loaded.Alpha);
    }

    /// <summary>
    /// Where each EXIF orientation stores the upright pixel (x, y) of a W x H picture (TIFF 6.0 / EXIF 2.3,
    /// tag 0x0112): 2 mirrors, 3 turns 180 degrees, 4 flips, 5-8 also swap the axes.
    /// </summary>
    private static (int X, int Y) Stored(int orientation, int x, int y, int w, int h) => orientation switch
    {
        1 => (x, y),
        2 => (w - 1 - x, y),
        3 => (w - 1 - x, h - 1 - y),
        4 => (x, h - 1 - y),
        5 => (y, x),
        6 => (y, w - 1 - x),
        7 => (h - 1 - y, w - 1 - x),
        _ => (h - 1 - y, x),
    };

    public static TheoryData<int> Orientations => [1, 2, 3, 4, 5, 6, 7, 8];

    private const int UprightWidth = 5, UprightHeight = 3;

    /// <summary>The 5x3 test picture as a file with <paramref name="orientation"/> stores it (3x5 for 5-8).</summary>
    private static Image<Rgba32> StoredPicture(int orientation)
    {
        bool swapped = orientation >= 5;
        var stored = new Image<Rgba32>(swapped ? UprightHeight : UprightWidth, swapped ? UprightWidth : UprightHeight);
        for (int y = 0; y < UprightHeight; y++)
            for (int x = 0; x < UprightWidth; x++)
            {
                var (sx, sy) = Stored(orientation, x, y, UprightWidth, UprightHeight);
                stored[sx, sy] = FixtureImages.Colour(x, y);
            }
        return stored;
    }

    private static void AssertUpright(LoadedImage loaded)
    {
        Assert.Equal((UprightWidth, UprightHeight), (loaded.Pixels.Width, loaded.Pixels.Height));
        for (int y = 0; y < UprightHeight; y++)
            for (int x = 0; x < UprightWidth; x++)
            {
                var expected = FixtureImages.Colour(x, y);
                AssertPixel(loaded, x, y, (expected.R, expected.G, expected.B), 0.01);
            }
    }

    [Theory]
    [MemberData(nameof(Orientations))]
    public void Every_exif_orientation_comes_out_upright(int orientation)
    {
        using var stored = StoredPicture(orientation);
        stored.Metadata.ExifProfile = new ExifProfile();
        stored.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)orientation);
        AssertUpright(Load($"o{orientation}.png", FixtureImages.Encode(stored, new PngEncoder())));
    }

    [Theory]
    [MemberData(nameof(Orientations))]
    public void Every_tiff_orientation_comes_out_upright_and_is_counted_in_the_identified_size(int orientation)
    {
        using var stored = StoredPicture(orientation);
        var tiff = HandMadeTiff.Rgb(stored.Width, stored.Height, (x, y) => stored[x, y].Rgb, planar: false,
            extraTags: (HandMadeTiff.OrientationTag, (ushort)orientation));
        AssertUpright(Load($"o{orientation}.tif", tiff));
        var header = _loader.Identify(_folder.File($"o{orientation}.tif"), 2);
        Assert.Equal((UprightWidth, UprightHeight), (header.Width, header.Height));
    }

    [Fact]
    public void An_icc_profile_is_read_from_jpeg_and_png()
    {
        var profile = FixtureImages.IccProfile("loader test profile");
        using var image = FixtureImages.Pattern(8, 8, FixtureImages.Colour);
        image.Metadata.IccProfile = new SixLabors.ImageSharp.Metadata.Profiles.Icc.IccProfile(profile);
        var jpeg = Load("icc.jpg", FixtureImages.Encode(image, new JpegEncoder()));
        Assert.Equal(profile, jpeg.Metadata.IccProfile!.ToByteArray());

        image.Metadata.IccProfile = null;
        var png = FixtureImages.WithChunk(FixtureImages.Encode(image, new PngEncoder()), "iCCP", FixtureImages.IccChunkData(profile));
        var loaded = Load("icc.png", png);
        Assert.Equal(profile, loaded.Metadata.IccProfile!.ToByteArray());
        // Not converted: the pixels are the stored values, to be written back with the same profile.
        var expected = FixtureImages.Colour(3, 5);
        AssertPixel(loaded, 3, 5, (expected.R, expected.G, expected.B), 0.01);
    }
}
