using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.Metadata.Profiles.Icc;
using SixLabors.ImageSharp.Metadata.Profiles.Iptc;
using SixLabors.ImageSharp.Metadata.Profiles.Xmp;
using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>What the writer keeps from the source: bit depth, grayscale, alpha and metadata, per output format.</summary>
public sealed class ImageWriterFormatTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ImageWriter _writer = new(95);

    public void Dispose() => _folder.Dispose();

    private static PlanarImage Planes(int width, int height, Func<int, int, int, float> value)
    {
        var planar = new PlanarImage(width, height);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    planar[c, y, x] = value(c, x, y);
        return planar;
    }

    private string Write(string name, UpscaledImage image, string format)
    {
        string path = _folder.File(name);
        _writer.Write(image, format, path, CancellationToken.None);
        return path;
    }

    [Fact]
    public void Png_is_deflated_at_a_fast_level_and_reads_back_exactly()
    {
        var planes = Planes(64, 48, (c, x, y) => (x * 3 + y * 5 + c * 40) % 256 / 255f);
        string path = Write("fast.png", new UpscaledImage(planes, null, new ImageTraits("PNG", 8, false, false), null), "PNG");
        byte[] bytes = File.ReadAllBytes(path);
        int idat = bytes.AsSpan().IndexOf("IDAT"u8);
        Assert.True(idat > 0, "the PNG has an IDAT chunk");
        // The zlib header's FLEVEL (top two bits of its second byte): 1 is "fast", zlib levels 2-5; the default level 6 writes 2.
        Assert.Equal(1, bytes[idat + 5] >> 6);
        using var back = Image.Load<Rgb24>(path);
        Assert.Equal((byte)((10 * 3 + 7 * 5 + 40) % 256), back[10, 7].G);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Tiff_is_deflated_with_the_horizontal_predictor_and_reads_back_exactly(bool gray)
    {
        // A smooth gradient, as scans are: each sample differs little from its left neighbour.
        var planes = Planes(64, 48, (c, x, y) => (x * 3 + y * 5 + (gray ? 0 : c * 40)) % 256 / 255f);
        string path = Write("scan.tif", new UpscaledImage(planes, null, new ImageTraits("TIFF", 8, gray, false), null), "TIFF");
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(8u, TiffStructure.FirstPageValue(bytes, 259)); // Deflate
        Assert.Equal(2u, TiffStructure.FirstPageValue(bytes, 317)); // Predictor: horizontal differencing
        using var back = Image.Load<Rgb24>(path);
        Assert.Equal((byte)((10 * 3 + 7 * 5 + (gray ? 0 : 40)) % 256), back[10, 7].G);
    }

    [Fact]
    public void A_16_bit_source_is_written_as_16_bit_png_without_losing_a_level()
    {
        var planes = Planes(7, 3, (c, x, y) => (c * 20011 + x * 7919 + y * 104) % 65536 / 65535f);
        string path = Write("deep.png", new UpscaledImage(planes, null, new ImageTraits("PNG", 16, false, false), null), "PNG");
        var png = Image.Identify(path).Metadata.GetPngMetadata();
        Assert.Equal((PngBitDepth.Bit16, PngColorType.Rgb), (png.BitDepth, png.ColorType));
        using var back = Image.Load<Rgba64>(path);
        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 7; x++)
                Assert.Equal((ushort)((1 * 20011 + x * 7919 + y * 104) % 65536), back[x, y].G);
    }

    [Fact]
    public void Grayscale_stays_grayscale_in_png_and_jpeg_at_its_depth()
    {
        var planes = Planes(5, 4, (c, x, y) => (x * 50 + y * 3) / 255f);
        Assert.Equal(PngColorType.Grayscale, Image.Identify(Write("g.png", new UpscaledImage(planes, null, new ImageTraits("PNG", 8, true, false), null), "PNG")).Metadata.GetPngMetadata().ColorType);
        Assert.Equal(JpegColorType.Luminance, Image.Identify(Write("g.jpg", new UpscaledImage(planes, null, new ImageTraits("PNG", 8, true, false), null), "JPEG")).Metadata.GetJpegMetadata().ColorType);

        string deep = Write("g16.png", new UpscaledImage(Planes(5, 4, (c, x, y) => (x * 12345 + y) / 65535f), null, new ImageTraits("PNG", 16, true, false), null), "PNG");
        var metadata = Image.Identify(deep).Metadata.GetPngMetadata();
        Assert.Equal((PngBitDepth.Bit16, PngColorType.Grayscale), (metadata.BitDepth, metadata.ColorType));
        using var back = Image.Load<L16>(deep);
        Assert.Equal(3 * 12345 + 2, back[3, 2].PackedValue);
    }

    /// <summary>The model tints a gray image's edges faintly; WebP and BMP, which store RGB only, must not show it.</summary>
    [Theory]
    [InlineData("BMP", "g.bmp", false, 0)]
    [InlineData("Webp", "g.webp", true, 0)]
    [InlineData("Webp", "lossy-g.webp", false, 1)]
    public void A_gray_source_stays_gray_in_a_format_that_stores_rgb_only(string format, string name, bool lossless, int tolerance)
    {
        // Colour fringes as the model leaves them: the channels a few levels apart.
        var planes = Planes(16, 16, (c, x, y) => (x * 12 + y + (c - 1) * 9 * (x % 2)) / 255f);
        using var written = Image.Load<Rgb24>(Write(name, new UpscaledImage(planes, null, new ImageTraits("BMP", 8, true, false, lossless), null), format));
        for (int y = 0; y < 16; y++)
            for (int x = 0; x < 16; x++)
            {
                var p = written[x, y];
                Assert.True(Math.Abs(p.R - p.G) <= tolerance && Math.Abs(p.G - p.B) <= tolerance, $"({x},{y}) is {p}, not gray");
            }
        Assert.Equal(5 * 12 + 3, written[5, 3].G, 1.0 + tolerance);
    }

    [Fact]
    public void Alpha_is_written_with_the_colour_as_gray_alpha_or_rgba()
    {
        var planes = Planes(4, 4, (c, x, y) => (x * 60 + c * 10) / 255f);
        var alpha = Enumerable.Range(0, 16).Select(i => i * 17 / 255f).ToArray();
        using (var gray = Image.Load<La16>(Write("ga.png", new UpscaledImage(planes, alpha, new ImageTraits("PNG", 8, true, true), null), "PNG")))
            Assert.Equal(5 * 17, gray[1, 1].A);
        string rgbaPath = Write("rgba.png", new UpscaledImage(planes, alpha, new ImageTraits("PNG", 8, false, true), null), "PNG");
        Assert.Equal(PngColorType.RgbWithAlpha, Image.Identify(rgbaPath).Metadata.GetPngMetadata().ColorType);
        using (var rgba = Image.Load<Rgba32>(rgbaPath))
            Assert.Equal(new Rgba32(120, 130, 140, 14 * 17), rgba[2, 3]);
        using (var tiff = Image.Load<Rgba32>(Write("rgba.tif", new UpscaledImage(planes, alpha, new ImageTraits("TIFF", 8, false, true), null), "TIFF")))
            Assert.Equal(new Rgba32(120, 130, 140, 14 * 17), tiff[2, 3]);
        using (var webp = Image.Load<Rgba32>(Write("rgba.webp", new UpscaledImage(planes, alpha, new ImageTraits("Webp", 8, false, true), null), "Webp")))
            Assert.InRange(webp[2, 3].A, 14 * 17 - 3, 14 * 17 + 3);
    }

    /// <summary>
    /// Under transparent pixels lies the colour of their visible neighbours (spread there for the model): written as
    /// it is, a red disc on transparency came out a solid red rectangle.
    /// </summary>
    [Theory]
    [InlineData("JPEG", "cutout.jpg", 4)]
    public void Transparency_a_format_cannot_hold_is_flattened_onto_white(string format, string name, int tolerance)
    {
        var planes = Planes(8, 8, (c, x, y) => (c == 0 ? 200 : 30) / 255f);
        var alpha = Enumerable.Range(0, 64).Select(i => (i % 8) switch { < 3 => 0f, 3 or 4 => 0.5f, _ => 1f }).ToArray();
        using var written = Image.Load<Rgba32>(Write(name, new UpscaledImage(planes, alpha, new ImageTraits("PNG", 8, false, true), null), format));
        foreach (var (x, expected) in new[] { (1, new Rgba32(255, 255, 255)), (3, new Rgba32(228, 143, 143)), (6, new Rgba32(200, 30, 30)) })
        {
            var pixel = written[x, 4];
            Assert.True(Math.Abs(pixel.R - expected.R) <= tolerance && Math.Abs(pixel.G - expected.G) <= tolerance && Math.Abs(pixel.B - expected.B) <= tolerance && pixel.A == 255,
                $"x={x}: {pixel}, expected {expected}");
        }
    }

    private static ImageMetadata SourceMetadata(byte[] icc)
    {
        var metadata = new ImageMetadata();
        metadata.ExifProfile = new ExifProfile();
        metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        metadata.ExifProfile.SetValue(ExifTag.Artist, "Ada Photographer");
        metadata.ExifProfile.SetValue(ExifTag.PixelXDimension, (Number)(uint)3);
        metadata.ExifProfile.SetValue(ExifTag.PixelYDimension, (Number)(uint)2);
        metadata.XmpProfile = new XmpProfile(System.Text.Encoding.UTF8.GetBytes(
            "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>" +
            "<rdf:Description xmlns:tiff='http://ns.adobe.com/tiff/1.0/' xmlns:exif='http://ns.adobe.com/exif/1.0/' tiff:Orientation=\"6\" exif:PixelXDimension=\"3\">" +
            "<exif:PixelYDimension>2</exif:PixelYDimension><dc:title xmlns:dc='http://purl.org/dc/elements/1.1/'>Harbour</dc:title></rdf:Description></rdf:RDF></x:xmpmeta>"));
        metadata.IptcProfile = new IptcProfile();
        metadata.IptcProfile.SetValue(IptcTag.Caption, "harbour at dawn");
        metadata.IccProfile = new IccProfile(icc);
        return metadata;
    }

    [Theory]
    [InlineData("JPEG", "out.jpg")]
    [InlineData("PNG", "out.png")]
    [InlineData("Webp", "out.webp")]
    public void Exif_and_xmp_travel_with_orientation_reset_and_dimensions_updated(string format, string name)
    {
        var icc = FixtureImages.IccProfile("writer test profile");
        string path = Write(name, new UpscaledImage(Planes(6, 4, (c, x, y) => 0.5f), null, new ImageTraits(format, 8, false, false), SourceMetadata(icc)), format);
        var metadata = Image.Identify(path).Metadata;
        var exif = metadata.ExifProfile!;
        Assert.Equal((ushort)1, exif.GetValue(ExifTag.Orientation)!.Value);
        Assert.Equal("Ada Photographer", exif.GetValue(ExifTag.Artist)!.Value);
        Assert.Equal(6u, (uint)exif.GetValue(ExifTag.PixelXDimension)!.Value);
        Assert.Equal(4u, (uint)exif.GetValue(ExifTag.PixelYDimension)!.Value);
        string xmp = System.Text.Encoding.UTF8.GetString(metadata.XmpProfile!.ToByteArray());
        Assert.Contains("tiff:Orientation=\"1\"", xmp);
        Assert.Contains("exif:PixelXDimension=\"6\"", xmp);
        Assert.Contains("<exif:PixelYDimension>4</exif:PixelYDimension>", xmp);
        Assert.Contains("Harbour", xmp);
    }

    [Fact]
    public void Exif_entries_are_written_in_ascending_tag_order_as_tiff_requires()
    {
        // As a phone's photo reads back: the reader lists values that fit in their entry (Orientation) before the others (Make).
        var metadata = new ImageMetadata { ExifProfile = new ExifProfile() };
        metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        metadata.ExifProfile.SetValue(ExifTag.Make, "Apple");
        metadata.ExifProfile.SetValue(ExifTag.GPSLatitudeRef, "N");
        metadata.ExifProfile.SetValue(ExifTag.GPSLatitude, [new Rational(52, 1), new Rational(22, 1), new Rational(7, 1)]);
        metadata.ExifProfile.SetValue(ExifTag.GPSAltitudeRef, (byte)0);
        string path = Write("out.jpg", new UpscaledImage(Planes(6, 4, (c, x, y) => 0.5f), null, new ImageTraits("JPEG", 8, false, false), metadata), "JPEG");

        byte[] file = File.ReadAllBytes(path);
        var tiff = file.AsSpan()[JpegStructure.FindExif(file)!.Value];
        var ifd0 = Tags(tiff, BitConverter.ToInt32(tiff[4..8]));
        Assert.Equal(ifd0.Order(), ifd0);
        Assert.Contains((ushort)0x010F, ifd0);
        int gpsEntry = EntryOffset(tiff, BitConverter.ToInt32(tiff[4..8]), 0x8825);
        var gps = Tags(tiff, BitConverter.ToInt32(tiff[(gpsEntry + 8)..(gpsEntry + 12)]));
        Assert.Equal(gps.Order(), gps);
        Assert.Equal(3, gps.Count);
    }

    // A little-endian IFD, as ImageSharp writes it: a count, then 12-byte entries that open with their tag.
    private static List<ushort> Tags(ReadOnlySpan<byte> tiff, int ifd)
    {
        Assert.Equal((byte)'I', tiff[0]);
        int count = BitConverter.ToUInt16(tiff[ifd..(ifd + 2)]);
        var tags = new List<ushort>(count);
        for (int i = 0; i < count; i++)
            tags.Add(BitConverter.ToUInt16(tiff[(ifd + 2 + 12 * i)..]));
        return tags;
    }

    private static int EntryOffset(ReadOnlySpan<byte> tiff, int ifd, ushort tag) =>
        ifd + 2 + 12 * Tags(tiff, ifd).IndexOf(tag);

    [Fact]
    public void Iptc_travels_in_jpeg()
    {
        string path = Write("iptc.jpg", new UpscaledImage(Planes(4, 4, (c, x, y) => 0.5f), null, new ImageTraits("JPEG", 8, false, false), SourceMetadata(FixtureImages.IccProfile("p"))), "JPEG");
        Assert.Equal("harbour at dawn", Image.Identify(path).Metadata.IptcProfile!.GetValues(IptcTag.Caption).Single().Value);
    }

    /// <summary>
    /// An IPTC block holding no record (a damaged one, found by the fuzzer: a TIFF whose EXIF entry was renumbered to
    /// IPTC's tag) made ImageSharp 2.1's TIFF encoder write a zero-length entry that broke the output's directory: a
    /// "Succeeded" output that neither ImageSharp nor libtiff could open. It carries nothing, and is left out.
    /// </summary>
    [Fact]
    public void An_iptc_block_without_a_record_is_left_out_and_the_tiff_output_reads_back()
    {
        var metadata = new ImageMetadata { IptcProfile = new IptcProfile([0x1C, 2, 5, 0, 0]) };

        string path = Write("empty-iptc.tif", new UpscaledImage(Planes(4, 4, (c, x, y) => 0.5f), null, new ImageTraits("TIFF", 8, false, false), metadata), "TIFF");

        var read = new ImageLoader(ImageLimits.Default).Load(path, 1);
        Assert.Equal((4, 4), (read.Pixels.Width, read.Pixels.Height));
        Assert.Null(read.Metadata.IptcProfile);
    }

    [Theory]
    [InlineData("JPEG", "icc.jpg", false)]
    [InlineData("PNG", "icc.png", false)]
    [InlineData("Webp", "icc.webp", false)]
    [InlineData("Webp", "icc-alpha.webp", true)]
    public void The_icc_profile_is_embedded_byte_for_byte_and_the_pixels_are_not_converted(string format, string name, bool withAlpha)
    {
        var icc = FixtureImages.IccProfile("round trip profile");
        var planes = Planes(8, 8, (c, x, y) => (c * 70 + x * 10 + y) / 255f);
        var alpha = withAlpha ? Enumerable.Range(0, 64).Select(i => i % 2 == 0 ? 1f : 0.5f).ToArray() : null;
        // Without EXIF or XMP the WebP encoder writes the simple format, so the VP8X header has to be made.
        var metadata = new ImageMetadata { IccProfile = new IccProfile(icc) };
        string path = Write(name, new UpscaledImage(planes, alpha, new ImageTraits(format, 8, false, withAlpha), metadata), format);
        byte[] written = format == "PNG" ? ReadIccpChunk(File.ReadAllBytes(path)) : Image.Identify(path).Metadata.IccProfile!.ToByteArray();
        Assert.Equal(icc, written);
        using var back = Image.Load<Rgba32>(path);
        Assert.InRange(back[5, 2].G, 70 + 52 - 3, 70 + 52 + 3);
        Assert.InRange(back[1, 0].A, withAlpha ? 120 : 255, withAlpha ? 135 : 255);
    }

    [Fact]
    public void A_webp_with_exif_keeps_it_beside_the_icc_profile()
    {
        var icc = FixtureImages.IccProfile("webp with exif");
        string path = Write("both.webp", new UpscaledImage(Planes(6, 4, (c, x, y) => 0.5f), null, new ImageTraits("Webp", 8, false, false), SourceMetadata(icc)), "Webp");
        var metadata = Image.Identify(path).Metadata;
        Assert.Equal(icc, metadata.IccProfile!.ToByteArray());
        Assert.Equal("Ada Photographer", metadata.ExifProfile!.GetValue(ExifTag.Artist)!.Value);
    }

    /// <summary>The profile in a PNG's iCCP chunk, found and inflated here independently of the engine's reader.</summary>
    private static byte[] ReadIccpChunk(byte[] png)
    {
        int at = png.AsSpan().IndexOf("iCCP"u8);
        Assert.True(at > 0 && at < png.AsSpan().IndexOf("IDAT"u8), "no iCCP chunk before IDAT");
        int length = png[at - 4] << 24 | png[at - 3] << 16 | png[at - 2] << 8 | png[at - 1];
        var data = png.AsSpan(at + 4, length);
        int nul = data.IndexOf((byte)0);
        using var inflater = new System.IO.Compression.ZLibStream(new MemoryStream(data[(nul + 2)..].ToArray()), System.IO.Compression.CompressionMode.Decompress);
        using var profile = new MemoryStream();
        inflater.CopyTo(profile);
        Assert.Equal(FixtureImages.PngCrc(png.AsSpan(at, 4 + length)), (uint)(png[at + 4 + length] << 24 | png[at + 5 + length] << 16 | png[at + 6 + length] << 8 | png[at + 7 + length]));
        return profile.ToArray();
    }
}
