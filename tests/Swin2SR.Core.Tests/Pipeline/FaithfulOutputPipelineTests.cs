using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.Metadata.Profiles.Icc;
using SixLabors.ImageSharp.Metadata.Profiles.Iptc;
using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Pipeline;

/// <summary>
/// Whole runs with the exact nearest-neighbour model, so every output pixel is known: bit depth, grayscale,
/// alpha, orientation and metadata come out as they went in.
/// </summary>
public sealed class FaithfulOutputPipelineTests : IDisposable
{
    private static readonly string NearestX2 = RepoPaths.TestModel("nearest-x2");
    private static readonly UpscaleOptions Options = new() { TileSize = 16, TileOverlap = 4, BatchSize = 2, IoThreads = 1 };
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private UpscaleResult Upscale(string name, Image image, SixLabors.ImageSharp.Formats.IImageEncoder encoder, UpscaleOptions? options = null) =>
        Upscale(name, FixtureImages.Encode(image, encoder), OutputFormat.Same, options);

    private UpscaleResult Upscale(string name, byte[] file, OutputFormat format, UpscaleOptions? options = null)
    {
        Directory.CreateDirectory(_folder.File("in"));
        string path = _folder.File("in", name);
        File.WriteAllBytes(path, file);
        var result = Assert.Single(PipelineRunner.Run(NearestX2, [path], _folder.File("out", format.ToString()), options ?? Options, format));
        Assert.True(result.Status == UpscaleStatus.Succeeded, result.Error?.Message);
        return result;
    }

    [Fact]
    public void A_16_bit_png_comes_out_16_bit_with_every_level_kept()
    {
        using var image = FixtureImages.Pattern(20, 12, (x, y) => new Rgb48((ushort)(x * 3001 + y), (ushort)(65535 - y * 4999), (ushort)(x * y * 211)));
        var result = Upscale("deep.png", image, new PngEncoder { BitDepth = PngBitDepth.Bit16 });
        Assert.Equal(PngBitDepth.Bit16, Image.Identify(result.Item.OutputPath).Metadata.GetPngMetadata().BitDepth);
        using var output = Image.Load<Rgb48>(result.Item.OutputPath);
        for (int y = 0; y < 24; y++)
            for (int x = 0; x < 40; x++)
                Assert.Equal(image[x / 2, y / 2], output[x, y]);
        Assert.Empty(result.Warnings!);
    }

    [Fact]
    public void A_16_bit_tiff_comes_out_16_bit_with_every_level_kept()
    {
        static Rgb48 Pixel(int x, int y) => new((ushort)(x * 3001 + y), (ushort)(65535 - y * 4999), (ushort)(x * y * 211));
        var result = Upscale("deep.tif", HandMadeTiff.Rgb48(20, 12, Pixel), OutputFormat.Same);
        Assert.Empty(result.Warnings!);
        Assert.Equal(48, Image.Identify(result.Item.OutputPath).PixelType.BitsPerPixel);
        using var output = Image.Load<Rgb48>(result.Item.OutputPath);
        for (int y = 0; y < 24; y++)
            for (int x = 0; x < 40; x++)
                Assert.Equal(Pixel(x / 2, y / 2), output[x, y]);
    }

    [Fact]
    public void A_floating_point_tiff_is_named_as_32_bits_and_comes_out_as_16_bit_png_saying_so()
    {
        const string readAt16 = "it is a TIFF of 32-bit floating-point samples: they are read at 16 bits a sample, as no output holds more, "
            + "values below 0 and above 1 (HDR highlights) clipped; to keep them, tone-map or scale the image into 0 to 1 first";
        var tiff = HandMadeTiff.RgbFloat(20, 12, (x, y) => (x / 19f, y / 11f, 0.5f));
        var jpeg = Upscale("float.tif", tiff, OutputFormat.Jpeg);
        Assert.Equal([readAt16, "JPEG output is written with 8 bits per channel: the input's 32 bits are rounded to 8 (-Format Png keeps 16)"], jpeg.Warnings!);
        var png = Upscale("float-again.tif", tiff, OutputFormat.Png);
        Assert.Equal(readAt16, Assert.Single(png.Warnings!));
        Assert.Equal(PngBitDepth.Bit16, Image.Identify(png.Item.OutputPath).Metadata.GetPngMetadata().BitDepth);
        using var output = Image.Load<Rgb48>(png.Item.OutputPath);
        var pixel = output[15, 11];
        Assert.InRange(pixel.R, 7 / 19.0 * 65535 - 2, 7 / 19.0 * 65535 + 2);
        Assert.InRange(pixel.G, 5 / 11.0 * 65535 - 2, 5 / 11.0 * 65535 + 2);
        Assert.InRange(pixel.B, 32766, 32769);
    }

    [Fact]
    public void Grayscale_comes_out_grayscale_in_png_and_jpeg()
    {
        using var image = FixtureImages.Pattern(20, 12, (x, y) => new L8((byte)(x * 12 + y)));
        var png = Upscale("gray.png", image, new PngEncoder { ColorType = PngColorType.Grayscale });
        Assert.Equal(PngColorType.Grayscale, Image.Identify(png.Item.OutputPath).Metadata.GetPngMetadata().ColorType);
        using (var output = Image.Load<L8>(png.Item.OutputPath))
            Assert.Equal(image[7, 5], output[15, 11]);
        var jpeg = Upscale("gray.jpg", image, new JpegEncoder { ColorType = JpegColorType.Luminance });
        Assert.Equal(JpegColorType.Luminance, Image.Identify(jpeg.Item.OutputPath).Metadata.GetJpegMetadata().ColorType);
    }

    [Fact]
    public void Grayscale_with_alpha_comes_out_as_gray_with_alpha()
    {
        using var image = FixtureImages.Pattern(16, 16, (x, y) => new La16((byte)(x * 15), (byte)(y < 8 ? 255 : 0)));
        var result = Upscale("gray-alpha.png", image, new PngEncoder { ColorType = PngColorType.GrayscaleWithAlpha });
        Assert.Equal(PngColorType.GrayscaleWithAlpha, Image.Identify(result.Item.OutputPath).Metadata.GetPngMetadata().ColorType);
        using var output = Image.Load<La16>(result.Item.OutputPath);
        Assert.Equal(255, output[10, 2].A);
        Assert.Equal(0, output[10, 30].A);
        Assert.Equal(5 * 15, output[10, 2].L);
    }

    [Theory]
    [InlineData(PngColorType.Palette)]
    [InlineData(PngColorType.RgbWithAlpha)]
    public void Transparency_comes_out_as_rgba(PngColorType colorType)
    {
        using var image = FixtureImages.Pattern(16, 16, (x, y) => x < 8 ? new Rgba32(0, 0, 0, 0) : new Rgba32(30, 140, 250, 255));
        var result = Upscale($"{colorType}.png", image, new PngEncoder { ColorType = colorType });
        Assert.Equal(PngColorType.RgbWithAlpha, Image.Identify(result.Item.OutputPath).Metadata.GetPngMetadata().ColorType);
        using var output = Image.Load<Rgba32>(result.Item.OutputPath);
        Assert.Equal(0, output[2, 5].A);
        Assert.Equal(new Rgba32(30, 140, 250, 255), output[28, 5]);
    }

    [Fact]
    public void An_exif_rotated_image_comes_out_upright_with_orientation_1()
    {
        // Stored 6x10 with orientation 6 (turn 90 degrees clockwise to view): upright it is 10x6.
        using var stored = FixtureImages.Pattern(6, 10, FixtureImages.Colour);
        stored.Metadata.ExifProfile = new ExifProfile();
        stored.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        var result = Upscale("rotated.png", stored, new PngEncoder());
        using var output = Image.Load<Rgba32>(result.Item.OutputPath);
        Assert.Equal((20, 12), (output.Width, output.Height));
        Assert.Equal((ushort)1, output.Metadata.ExifProfile!.GetValue(ExifTag.Orientation)!.Value);
        // Upright (x, y) is stored (y, storedHeight - 1 - x).
        for (int y = 0; y < 6; y++)
            for (int x = 0; x < 10; x++)
                Assert.Equal(stored[y, 9 - x], output[2 * x + 1, 2 * y + 1]);
    }

    [Fact]
    public void Exif_xmp_iptc_and_the_icc_profile_travel_with_the_dimensions_updated()
    {
        var icc = FixtureImages.IccProfile("pipeline profile");
        using var image = FixtureImages.Pattern(24, 16, FixtureImages.Colour);
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Copyright, "Harbour Photo Ltd");
        image.Metadata.ExifProfile.SetValue(ExifTag.PixelXDimension, (Number)24u);
        image.Metadata.IptcProfile = new IptcProfile();
        image.Metadata.IptcProfile.SetValue(IptcTag.Keywords, "harbour");
        image.Metadata.XmpProfile = new SixLabors.ImageSharp.Metadata.Profiles.Xmp.XmpProfile(System.Text.Encoding.UTF8.GetBytes(
            "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description xmlns:exif='http://ns.adobe.com/exif/1.0/' exif:PixelXDimension='24'/></rdf:RDF></x:xmpmeta>"));
        image.Metadata.IccProfile = new IccProfile(icc);
        var result = Upscale("tagged.jpg", image, new JpegEncoder { Quality = 95 });
        var metadata = Image.Identify(result.Item.OutputPath).Metadata;
        Assert.Equal("Harbour Photo Ltd", metadata.ExifProfile!.GetValue(ExifTag.Copyright)!.Value);
        Assert.Equal(48u, (uint)metadata.ExifProfile.GetValue(ExifTag.PixelXDimension)!.Value);
        Assert.Equal("harbour", metadata.IptcProfile!.GetValues(IptcTag.Keywords).Single().Value);
        Assert.Contains("exif:PixelXDimension='48'", System.Text.Encoding.UTF8.GetString(metadata.XmpProfile!.ToByteArray()));
        Assert.Equal(icc, metadata.IccProfile!.ToByteArray());
    }

    /// <summary>
    /// A PNG from Photoshop can carry hundreds of KB of XMP; a JPEG holds 64 KB in its one XMP segment. ImageSharp
    /// wrote the rest into more segments with the same header, each a broken piece of XML to any other reader.
    /// </summary>
    [Fact]
    public void Xmp_too_large_for_a_jpeg_is_left_out_of_it_with_a_warning_and_kept_in_png()
    {
        using var image = FixtureImages.Pattern(12, 8, FixtureImages.Colour);
        image.Metadata.XmpProfile = new SixLabors.ImageSharp.Metadata.Profiles.Xmp.XmpProfile(System.Text.Encoding.UTF8.GetBytes(
            $"<x:xmpmeta xmlns:x='adobe:ns:meta/'><!-- {new string('h', 100_000)} --></x:xmpmeta>"));
        var png = FixtureImages.Encode(image, new PngEncoder());

        var jpeg = Upscale("history.png", png, OutputFormat.Jpeg);
        Assert.Equal(-1, File.ReadAllBytes(jpeg.Item.OutputPath).AsSpan().IndexOf("http://ns.adobe.com/xap/1.0/"u8));
        Assert.Equal("its XMP metadata (97 KB) is more than a JPEG file holds (64 KB): it is left out (-Format Png keeps it)", Assert.Single(jpeg.Warnings!));

        var kept = Upscale("history.png", png, OutputFormat.Png);
        Assert.True(Image.Identify(kept.Item.OutputPath).Metadata.XmpProfile!.ToByteArray().Length > 100_000);
        Assert.Empty(kept.Warnings!);
    }

    /// <summary>
    /// EXIF cannot continue in a second JPEG segment: ImageSharp wrote one anyway, which most readers ignore. A maker
    /// note is what makes it that large; without it the rest fits.
    /// </summary>
    [Fact]
    public void Exif_too_large_for_a_jpeg_loses_its_maker_note_there_with_a_warning_and_keeps_it_in_png()
    {
        var png = WithExif(("someone", new byte[80_000]));

        var jpeg = Upscale("maker-notes.png", png, OutputFormat.Jpeg);
        var exif = Image.Identify(jpeg.Item.OutputPath).Metadata.ExifProfile!;
        Assert.Equal("someone", exif.GetValue(ExifTag.Artist)!.Value);
        Assert.Null(exif.GetValue(ExifTag.MakerNote));
        Assert.Equal("its EXIF metadata (78 KB) is more than a JPEG file holds (64 KB): its maker note is left out (-Format Png keeps it)", Assert.Single(jpeg.Warnings!));

        var kept = Upscale("maker-notes.png", png, OutputFormat.Png);
        Assert.Equal(80_000, Image.Identify(kept.Item.OutputPath).Metadata.ExifProfile!.GetValue(ExifTag.MakerNote)!.Value.Length);
        Assert.Empty(kept.Warnings!);
    }

    [Fact]
    public void Exif_too_large_for_a_jpeg_even_without_a_maker_note_is_left_out_of_it_with_a_warning()
    {
        var jpeg = Upscale("comment.png", WithExif((new string('c', 70_000), null)), OutputFormat.Jpeg);
        Assert.Null(Image.Identify(jpeg.Item.OutputPath).Metadata.ExifProfile);
        Assert.Equal("its EXIF metadata (68 KB) is more than a JPEG file holds (64 KB): it is left out (-Format Png keeps it)", Assert.Single(jpeg.Warnings!));
    }

    private static byte[] WithExif((string Artist, byte[]? MakerNote) values)
    {
        using var image = FixtureImages.Pattern(12, 8, FixtureImages.Colour);
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Artist, values.Artist);
        if (values.MakerNote is { } note)
            image.Metadata.ExifProfile.SetValue(ExifTag.MakerNote, note);
        return FixtureImages.Encode(image, new PngEncoder());
    }

    [Theory]
    [InlineData(OutputFormat.Same)]
    [InlineData(OutputFormat.Png)]
    public void A_tiffs_icc_profile_xmp_and_descriptive_tags_travel_to_its_output(OutputFormat format)
    {
        // ImageSharp reads these into the first page's metadata: an Adobe RGB TIFF came out without its profile.
        var icc = FixtureImages.IccProfile("wide gamut");
        using var image = FixtureImages.Pattern(12, 8, FixtureImages.Colour);
        image.Metadata.IccProfile = new IccProfile(icc);
        image.Frames.RootFrame.Metadata.XmpProfile = new SixLabors.ImageSharp.Metadata.Profiles.Xmp.XmpProfile("<x:xmpmeta xmlns:x='adobe:ns:meta/'/>"u8.ToArray());
        image.Frames.RootFrame.Metadata.ExifProfile = new ExifProfile();
        image.Frames.RootFrame.Metadata.ExifProfile!.SetValue(ExifTag.Make, "Phase One");
        image.Frames.RootFrame.Metadata.ExifProfile!.SetValue(ExifTag.Copyright, "Harbour Archive");
        var result = Upscale("scan.tif", FixtureImages.Encode(image, new TiffEncoder()), format);

        using var output = Image.Load<Rgb24>(result.Item.OutputPath);
        // A TIFF keeps its tags with its first page, as the input did; other formats with the image.
        var tags = format == OutputFormat.Same ? output.Frames.RootFrame.Metadata : null;
        var exif = tags?.ExifProfile ?? output.Metadata.ExifProfile;
        // ImageSharp 2.1 reads no iCCP chunk: the PNG's is read as the loader reads it.
        Assert.Equal(icc, tags is null ? PngIccProfile.Read(File.ReadAllBytes(result.Item.OutputPath)) : tags.IccProfile!.ToByteArray());
        Assert.Contains("xmpmeta", System.Text.Encoding.UTF8.GetString((tags?.XmpProfile ?? output.Metadata.XmpProfile)!.ToByteArray()));
        Assert.Equal("Phase One", exif!.GetValue(ExifTag.Make)!.Value);
        Assert.Equal("Harbour Archive", exif.GetValue(ExifTag.Copyright)!.Value);
        // Only the descriptive tags travel: the input's layout (its strips, its compression) is not the output's.
        Assert.Null(output.Metadata.ExifProfile?.GetValue(ExifTag.StripOffsets));
        Assert.Empty(result.Warnings!);
    }

    [Fact]
    public void A_tiffs_exif_gps_and_iptc_tags_reach_its_tiff_output_exif_and_gps_in_their_own_directories()
    {
        // ImageSharp 2.1's TIFF encoder writes no EXIF or GPS directory: a scan's capture date was lost unsaid.
        using var image = FixtureImages.Pattern(12, 8, FixtureImages.Colour);
        var tags = image.Frames.RootFrame.Metadata.ExifProfile = new ExifProfile();
        tags.SetValue(ExifTag.Artist, "Harbour Archive");
        tags.SetValue(ExifTag.DateTimeOriginal, "1931:02:03 04:05:06");
        tags.SetValue(ExifTag.ImageUniqueID, "box-12-folder-3-letter-0001");
        tags.SetValue(ExifTag.GPSLatitudeRef, "N");
        // Stored in its entry: ImageSharp reads it before the values stored elsewhere, so out of the tags' order.
        tags.SetValue(ExifTag.ColorSpace, (ushort)1);
        image.Metadata.IptcProfile = new IptcProfile();
        image.Metadata.IptcProfile.SetValue(IptcTag.Caption, "Letter from the mayor");
        var result = Upscale("scan.tif", FixtureImages.Encode(image, new TiffEncoder()), OutputFormat.Same);

        byte[] file = File.ReadAllBytes(result.Item.OutputPath);
        string Text(ushort pointer, ushort tag) =>
            System.Text.Encoding.ASCII.GetString(file[TiffStructure.PointedBytes(file, [pointer], tag) ?? throw new Xunit.Sdk.XunitException($"tag {tag} is not in directory {pointer}")]).TrimEnd('\0');
        Assert.Equal("1931:02:03 04:05:06", Text(34665, 36867));
        Assert.Equal("box-12-folder-3-letter-0001", Text(34665, 42016));
        Assert.Equal("N", Text(34853, 1));
        // In ascending order of tag, as TIFF requires (libtiff otherwise calls the directory invalid).
        int exif = (int)TiffStructure.FirstPageValues(file, 34665, out _)![0];
        var order = Enumerable.Range(0, BitConverter.ToUInt16(file, exif)).Select(i => BitConverter.ToUInt16(file, exif + 2 + i * 12)).ToList();
        Assert.Equal(order.Order(), order);
        // The page keeps its own tags and its pixels, and a reader finds every tag.
        using var output = Image.Load<Rgb24>(result.Item.OutputPath);
        var read = output.Frames.RootFrame.Metadata.ExifProfile!;
        Assert.Equal("Harbour Archive", read.GetValue(ExifTag.Artist)!.Value);
        Assert.Equal("1931:02:03 04:05:06", read.GetValue(ExifTag.DateTimeOriginal)!.Value);
        Assert.Equal("Letter from the mayor", Assert.Single(output.Frames.RootFrame.Metadata.IptcProfile!.GetValues(IptcTag.Caption)).Value);
        Assert.Equal(image[5, 3].Rgb, output[10, 6]);
    }

    /// <summary>A JPEG with <paramref name="profile"/> in an APP2 ICC_PROFILE segment (one chunk of one) right after SOI.</summary>
    private static byte[] WithIccSegment(byte[] jpeg, byte[] profile)
    {
        int length = 2 + 14 + profile.Length;
        byte[] segment = [0xFF, 0xE2, (byte)(length >> 8), (byte)length, .. "ICC_PROFILE\0"u8, 1, 1, .. profile];
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }

    [Fact]
    public void A_cmyk_profile_is_not_written_on_the_rgb_output_and_a_warning_says_the_colours_were_converted_without_it()
    {
        // Four flat 8x8 blocks of inverted (Adobe) CMYK ink: cyan, magenta, yellow, none.
        byte[][] inks = [[0, 255, 255, 255], [255, 0, 255, 255], [255, 255, 0, 255], [255, 255, 255, 255]];
        var jpeg = WithIccSegment(HandMadeJpeg.Encode(2, 2, 4, (c, r) => inks[r * 2 + c], HandMadeJpeg.AdobeUnknown), FixtureImages.IccProfile("press", "CMYK"));
        Assert.Equal("CMYK", IccColourSpace.Of(Image.Identify(jpeg).Metadata.IccProfile!.ToByteArray()));
        var result = Upscale("cmyk.jpg", jpeg, OutputFormat.Same);
        Assert.Null(Image.Identify(result.Item.OutputPath).Metadata.IccProfile);
        Assert.Equal("its ICC profile is for CMYK data but the output holds RGB pixels: the profile is dropped, and the colours, converted "
            + "from its inks by plain inversion without it (there is no colour management), are approximate: they can differ visibly from what a "
            + "colour-managed viewer shows for the input (convert it to RGB through its profile first, for example: magick input -profile sRGB.icc output.png, with an sRGB profile file)",
            Assert.Single(result.Warnings!));
    }

    [Fact]
    public void A_gray_profile_stays_on_gray_output_and_is_dropped_with_a_warning_from_rgb_webp()
    {
        var gray = FixtureImages.IccProfile("gray gamma 2.2", "GRAY");
        using var image = FixtureImages.Pattern(16, 8, (x, y) => new L8((byte)(x * 15 + y)));
        image.Metadata.IccProfile = new IccProfile(gray);
        var jpeg = FixtureImages.Encode(image, new JpegEncoder { ColorType = JpegColorType.Luminance });

        var same = Upscale("gray.jpg", jpeg, OutputFormat.Same);
        Assert.Equal(gray, Image.Identify(same.Item.OutputPath).Metadata.IccProfile!.ToByteArray());
        Assert.Empty(same.Warnings!);

        var webp = Upscale("gray.jpg", jpeg, OutputFormat.Webp);
        Assert.Null(Image.Identify(webp.Item.OutputPath).Metadata.IccProfile);
        Assert.StartsWith("its ICC profile is for GRAY data but the output holds RGB pixels: the profile is dropped", Assert.Single(webp.Warnings!));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_lossless_webp_comes_out_lossless_with_every_pixel_exact_and_a_lossy_one_lossy(bool withAlpha)
    {
        using var image = FixtureImages.Pattern(20, 12, (x, y) => new Rgba32((byte)(x * 13 + y * 7), (byte)(y * 21), (byte)(x * y * 3 + 40), withAlpha && x < 4 ? (byte)(60 + y) : (byte)255));
        var lossless = Upscale("lossless.webp", image, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });
        byte[] written = File.ReadAllBytes(lossless.Item.OutputPath);
        Assert.True(written.AsSpan().IndexOf("VP8L"u8) > 0, "the output is not lossless WebP");
        using (var output = Image.Load<Rgba32>(written))
            for (int y = 0; y < 24; y++)
                for (int x = 0; x < 40; x++)
                {
                    Assert.Equal(image[x / 2, y / 2].Rgb, output[x, y].Rgb);
                    // The alpha is upscaled bicubically: exact where it is flat for two input pixels around.
                    if (x >= 12)
                        Assert.Equal(image[x / 2, y / 2].A, output[x, y].A);
                }

        var lossy = Upscale("lossy.webp", image, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy, Quality = 100 });
        Assert.True(File.ReadAllBytes(lossy.Item.OutputPath).AsSpan().IndexOf("VP8 "u8) > 0, "the output is not lossy WebP");
    }

    [Fact]
    public void An_animated_gif_is_upscaled_from_its_first_frame_with_a_warning()
    {
        using var gif = new Image<Rgba32>(8, 8, new Rgba32(250, 10, 10));
        using (var second = new Image<Rgba32>(8, 8, new Rgba32(10, 10, 250)))
            gif.Frames.AddFrame(second.Frames.RootFrame);
        var result = Upscale("anim.gif", gif, new GifEncoder());
        Assert.Contains(result.Warnings!, w => w.Contains("animated GIF"));
        Assert.EndsWith(".png", result.Item.OutputPath);
        using var output = Image.Load<Rgba32>(result.Item.OutputPath);
        Assert.True(output[7, 7].R > 200 && output[7, 7].B < 50, $"the first frame is red, got {output[7, 7]}");
    }

    [Fact]
    public void A_gif_whose_frame_covers_part_of_its_canvas_comes_out_transparent_around_it()
    {
        // A 16x12 canvas, an 8x6 green frame at 4,3: browsers show the margin transparent, not black.
        var gif = HandMadeGif.Still(16, 12, 4, 3, 8, Enumerable.Repeat((byte)0, 8 * 6).ToArray(), [new Rgb24(30, 200, 30)]);
        var result = Upscale("sprite.gif", gif, OutputFormat.Same);
        using var output = Image.Load<Rgba32>(result.Item.OutputPath);
        Assert.Equal((32, 24), (output.Width, output.Height));
        Assert.Equal(0, output[0, 0].A);
        Assert.Equal(0, output[31, 23].A);
        Assert.Equal(new Rgba32(30, 200, 30, 255), output[16, 12]);
    }
}
