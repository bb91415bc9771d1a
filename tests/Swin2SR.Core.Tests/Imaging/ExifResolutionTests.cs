using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>A file whose container states no resolution keeps the one its EXIF states, instead of ImageSharp's default 96 dpi.</summary>
public sealed class ExifResolutionTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ImageLoader _loader = new(ImageLimits.Default);

    public void Dispose() => _folder.Dispose();

    /// <summary>A 72-dpi EXIF; the PNG's pHYs chunk, which ImageSharp always writes, cut out.</summary>
    private static byte[] Carrying72DpiExif(string format)
    {
        using var image = FixtureImages.Pattern(8, 6, FixtureImages.Colour);
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.XResolution, new Rational(72));
        image.Metadata.ExifProfile.SetValue(ExifTag.YResolution, new Rational(72));
        image.Metadata.ExifProfile.SetValue(ExifTag.ResolutionUnit, (ushort)2);
        // The encoders write the metadata's resolution into the EXIF: it must say 72 for the EXIF to.
        image.Metadata.HorizontalResolution = image.Metadata.VerticalResolution = 72;
        if (format == "Webp")
            return FixtureImages.Encode(image, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });
        return WithoutPhys(FixtureImages.Encode(image, new PngEncoder()));
    }

    private static byte[] WithoutPhys(byte[] png)
    {
        var phys = PngChunks.Find(png, "pHYs")!.Value;
        return [.. png[..(phys.Start.Value - 8)], .. png[(phys.End.Value + 4)..]];
    }

    [Theory]
    [InlineData("PNG", "72dpi.png")]
    [InlineData("Webp", "72dpi.webp")]
    public void An_exif_resolution_without_a_container_resolution_comes_out_unchanged(string format, string name)
    {
        string path = _folder.File(name);
        File.WriteAllBytes(path, Carrying72DpiExif(format));
        Assert.Equal(96, Image.Identify(path).Metadata.HorizontalResolution);
        var loaded = _loader.Load(path, 2);
        string output = _folder.File("out-" + name);
        new ImageWriter(90).Write(new UpscaledImage(loaded.Pixels, null, loaded.Traits, loaded.Metadata), format, output, CancellationToken.None);
        var metadata = Image.Identify(output).Metadata;
        Assert.Equal(72.0, metadata.ExifProfile!.GetValue(ExifTag.XResolution)!.Value.ToDouble());
        Assert.Equal(72.0, metadata.ExifProfile.GetValue(ExifTag.YResolution)!.Value.ToDouble());
        Assert.Equal((ushort)2, metadata.ExifProfile.GetValue(ExifTag.ResolutionUnit)!.Value);
        if (format == "PNG")
            Assert.Equal(72, HorizontalDpi(metadata));
    }

    /// <summary>
    /// A 4,278,190,380-dpi EXIF (found by the fuzzer) kept each output's encoder busy about 20 s: ImageSharp turns a
    /// resolution into EXIF by counting up to it. The image is read as stating none, and says why.
    /// </summary>
    [Fact]
    public void An_exif_resolution_past_a_million_dpi_is_dropped_with_a_warning_and_the_output_states_none()
    {
        string path = _folder.File("absurd-dpi.png"), output = _folder.File("out.jpg");
        using var image = FixtureImages.Pattern(8, 6, FixtureImages.Colour);
        File.WriteAllBytes(path, WithoutPhys(HandMadeExif.InFile("PNG", image, HandMadeExif.WithThumbnailDirectory(4_278_190_380, 72))));

        var loaded = _loader.Load(path, 2);

        Assert.Equal("its stated resolution (4278190380 dots per inch) is implausible, over 1000000: the output states none", Assert.Single(loaded.Warnings));
        new ImageWriter(90).Write(new UpscaledImage(loaded.Pixels, null, loaded.Traits, loaded.Metadata), "JPEG", output, CancellationToken.None);
        var metadata = Image.Identify(output).Metadata;
        Assert.Equal(PixelResolutionUnit.AspectRatio, metadata.ResolutionUnits);
        Assert.Equal(1, metadata.ExifProfile!.GetValue(ExifTag.XResolution)!.Value.ToDouble());
    }

    /// <summary>The PNG decoder reports pHYs as it is stored, in pixels per metre.</summary>
    private static double HorizontalDpi(ImageMetadata metadata) => Math.Round(metadata.ResolutionUnits switch
    {
        PixelResolutionUnit.PixelsPerMeter => metadata.HorizontalResolution * 0.0254,
        PixelResolutionUnit.PixelsPerCentimeter => metadata.HorizontalResolution * 2.54,
        _ => metadata.HorizontalResolution,
    });

    /// <summary>Nothing stated, nothing invented: the outputs said 96 dpi, ImageSharp's default.</summary>
    [Theory]
    [InlineData("PNG", "out.png")]
    [InlineData("JPEG", "out.jpg")]
    public void A_png_that_states_no_resolution_comes_out_stating_none(string format, string name)
    {
        using var image = FixtureImages.Pattern(8, 6, FixtureImages.Colour);
        var png = FixtureImages.Encode(image, new PngEncoder());
        var phys = PngChunks.Find(png, "pHYs")!.Value;
        string path = _folder.File("silent.png");
        File.WriteAllBytes(path, [.. png[..(phys.Start.Value - 8)], .. png[(phys.End.Value + 4)..]]);
        var loaded = _loader.Load(path, 2);
        string output = _folder.File(name);
        new ImageWriter(90).Write(new UpscaledImage(loaded.Pixels, null, loaded.Traits, loaded.Metadata), format, output, CancellationToken.None);
        var metadata = Image.Identify(output).Metadata;
        Assert.Equal(PixelResolutionUnit.AspectRatio, metadata.ResolutionUnits);
        Assert.Equal(1, metadata.HorizontalResolution);
        Assert.Equal(1, metadata.VerticalResolution);
    }

    [Fact]
    public void A_png_whose_phys_chunk_states_a_resolution_keeps_that_one()
    {
        using var image = FixtureImages.Pattern(8, 6, FixtureImages.Colour);
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.XResolution, new Rational(72));
        image.Metadata.ExifProfile.SetValue(ExifTag.YResolution, new Rational(72));
        image.Metadata.HorizontalResolution = image.Metadata.VerticalResolution = 300;
        string path = FixtureImages.Save(_folder.File("300dpi.png"), image, new PngEncoder());
        Assert.Equal(300, HorizontalDpi(_loader.Load(path, 2).Metadata));
    }

    /// <summary>
    /// libjpeg and Pillow write a JFIF segment that gives square pixels only (units 0, 1:1) beside an EXIF that gives
    /// the resolution: the output said 1 dpi, the aspect ratio read as dots per inch.
    /// </summary>
    [Fact]
    public void A_jpeg_whose_jfif_gives_only_square_pixels_keeps_its_exif_resolution()
    {
        using var image = FixtureImages.Pattern(8, 6, FixtureImages.Colour);
        image.Metadata.ResolutionUnits = PixelResolutionUnit.AspectRatio;
        image.Metadata.HorizontalResolution = image.Metadata.VerticalResolution = 1;
        var jpeg = FixtureImages.Encode(image, new JpegEncoder { Quality = 95 });
        var exif = new ExifProfile();
        exif.SetValue(ExifTag.XResolution, new Rational(300));
        exif.SetValue(ExifTag.YResolution, new Rational(300));
        exif.SetValue(ExifTag.ResolutionUnit, (ushort)2);
        string path = _folder.File("square-pixels-300dpi.jpg");
        File.WriteAllBytes(path, AfterJfif(jpeg, [.. "Exif\0\0"u8, .. exif.ToByteArray()]));
        Assert.Equal(PixelResolutionUnit.AspectRatio, Image.Identify(path).Metadata.ResolutionUnits);

        var metadata = Image.Identify(WrittenFrom(path, "JPEG", "out.jpg")).Metadata;
        Assert.Equal(PixelResolutionUnit.PixelsPerInch, metadata.ResolutionUnits);
        Assert.Equal(300, metadata.HorizontalResolution);
        Assert.Equal(300.0, metadata.ExifProfile!.GetValue(ExifTag.XResolution)!.Value.ToDouble());
    }

    /// <summary>A GIF states no resolution at all, nor does a TIFF without XResolution: the outputs said 96 dpi.</summary>
    [Theory]
    [InlineData("plain.gif", "PNG", "out.png")]
    [InlineData("plain.tif", "TIFF", "out.tif")]
    public void A_gif_or_a_tiff_without_a_resolution_comes_out_stating_none(string name, string format, string output)
    {
        string path = _folder.File(name);
        using (var image = FixtureImages.Pattern(8, 6, FixtureImages.Colour))
            File.WriteAllBytes(path, name.EndsWith(".gif") ? FixtureImages.Encode(image, new GifEncoder()) : HandMadeTiff.Rgb(8, 6, (x, y) => image[x, y].Rgb, planar: false));
        string written = WrittenFrom(path, format, output);
        Assert.Equal(PixelResolutionUnit.AspectRatio, Image.Identify(written).Metadata.ResolutionUnits);
        // A PNG's pHYs then gives the aspect ratio, 1:1; a TIFF leaves out XResolution (ImageSharp reads that as 96 again).
        if (format == "TIFF")
            Assert.False(TiffStructure.FirstPageHas(File.ReadAllBytes(written), 282));
        else
            Assert.Equal(1, Image.Identify(written).Metadata.HorizontalResolution);
    }

    /// <summary>The output the loader and the writer make of <paramref name="path"/>, unscaled (the pipeline's model does not touch metadata).</summary>
    private string WrittenFrom(string path, string format, string name)
    {
        var loaded = _loader.Load(path, 2);
        string output = _folder.File(name);
        new ImageWriter(90).Write(new UpscaledImage(loaded.Pixels, null, loaded.Traits, loaded.Metadata), format, output, CancellationToken.None);
        return output;
    }

    /// <summary>A copy of <paramref name="jpeg"/> with an APP1 segment holding <paramref name="payload"/> after its JFIF (APP0) segment.</summary>
    private static byte[] AfterJfif(byte[] jpeg, byte[] payload)
    {
        Assert.Equal(0xE0, jpeg[3]);
        int end = 4 + (jpeg[4] << 8 | jpeg[5]);
        int length = payload.Length + 2;
        return [.. jpeg[..end], 0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload, .. jpeg[end..]];
    }
}
