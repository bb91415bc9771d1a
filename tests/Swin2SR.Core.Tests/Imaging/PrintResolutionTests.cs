using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>-KeepPrintSize: every resolution an output states is the input's times the scale.</summary>
public sealed class PrintResolutionTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ImageLoader _loader = new(ImageLimits.Default);

    public void Dispose() => _folder.Dispose();

    private const string Xmp = "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
        + "<rdf:Description xmlns:tiff='http://ns.adobe.com/tiff/1.0/' tiff:XResolution=\"300/1\" xmlns:exif='http://ns.adobe.com/exif/1.0/' exif:FocalPlaneXResolution=\"4000/1\"><tiff:YResolution>300</tiff:YResolution>"
        + "<tiff:ImageWidth>8</tiff:ImageWidth></rdf:Description></rdf:RDF></x:xmpmeta>";

    [Fact]
    public void A_300_dpi_jpeg_upscaled_x4_states_1200_dpi_in_jfif_exif_and_xmp()
    {
        string input = _folder.File("scan.jpg"), output = _folder.File("out.jpg");
        File.WriteAllBytes(input, ResolutionJpeg.Encode(300, 300, Xmp));
        var loaded = _loader.Load(input, 4);

        new ImageWriter(90).Write(new UpscaledImage(loaded.Pixels, null, loaded.Traits, PrintResolution.Scaled(loaded.Metadata, 4)), "JPEG", output, CancellationToken.None);

        var metadata = Image.Identify(output).Metadata;
        Assert.Equal(PixelResolutionUnit.PixelsPerInch, metadata.ResolutionUnits);
        Assert.Equal(1200, metadata.HorizontalResolution);
        Assert.Equal(1200, metadata.VerticalResolution);
        Assert.Equal(1200.0, metadata.ExifProfile!.GetValue(ExifTag.XResolution)!.Value.ToDouble());
        Assert.Equal(1200.0, metadata.ExifProfile.GetValue(ExifTag.YResolution)!.Value.ToDouble());
        string xmp = Encoding.UTF8.GetString(metadata.XmpProfile!.ToByteArray());
        Assert.Contains("tiff:XResolution=\"1200/1\"", xmp);
        Assert.Contains("<tiff:YResolution>1200</tiff:YResolution>", xmp);
        // Only the print resolutions change: a camera sensor's is not one. (The width the writer sets itself.)
        Assert.Contains("exif:FocalPlaneXResolution=\"4000/1\"", xmp);
        Assert.Contains("<tiff:ImageWidth>8</tiff:ImageWidth>", PrintResolution.ScaledXmp(Xmp, 4));
        Assert.Equal(300, loaded.Metadata!.HorizontalResolution);
    }

    /// <summary>JFIF holds 16 bits: a film scan's 20,000 dpi upscaled x4 came out as 14,464 dpi.</summary>
    [Theory]
    [InlineData(PixelResolutionUnit.PixelsPerInch, 300, PixelResolutionUnit.PixelsPerInch, 300)]
    [InlineData(PixelResolutionUnit.PixelsPerInch, 80_000, PixelResolutionUnit.PixelsPerCentimeter, 31_496)]
    [InlineData(PixelResolutionUnit.PixelsPerMeter, 3_149_606, PixelResolutionUnit.PixelsPerCentimeter, 31_496)]
    [InlineData(PixelResolutionUnit.PixelsPerInch, 200_000, PixelResolutionUnit.AspectRatio, 1)]
    public void A_jpeg_states_a_resolution_too_large_for_jfif_per_centimetre_or_not_at_all(
        PixelResolutionUnit unit, double resolution, PixelResolutionUnit writtenUnit, double written)
    {
        using var image = FixtureImages.Pattern(8, 6, FixtureImages.Colour);
        string input = _folder.File("film.png"), output = _folder.File("film.jpg");
        File.WriteAllBytes(input, FixtureImages.Encode(image, new SixLabors.ImageSharp.Formats.Png.PngEncoder()));
        var loaded = _loader.Load(input, 4);
        var metadata = new ImageMetadata { ResolutionUnits = unit, HorizontalResolution = resolution, VerticalResolution = resolution };

        new ImageWriter(90).Write(new UpscaledImage(loaded.Pixels, null, loaded.Traits, metadata), "JPEG", output, CancellationToken.None);

        var stated = Image.Identify(output).Metadata;
        Assert.Equal(writtenUnit, stated.ResolutionUnits);
        Assert.Equal(written, stated.HorizontalResolution);
        Assert.Equal(unit, metadata.ResolutionUnits); // the source's own metadata is left as it was
    }

    [Fact]
    public void An_image_that_states_no_resolution_still_states_none()
    {
        var metadata = new ImageMetadata { ResolutionUnits = PixelResolutionUnit.AspectRatio, HorizontalResolution = 1, VerticalResolution = 1 };
        var scaled = PrintResolution.Scaled(metadata, 4)!;
        Assert.Equal(PixelResolutionUnit.AspectRatio, scaled.ResolutionUnits);
        Assert.Equal(1, scaled.HorizontalResolution);
    }

    [Fact]
    public void A_resolution_in_pixels_per_centimetre_is_scaled_in_its_own_unit()
    {
        var metadata = new ImageMetadata { ResolutionUnits = PixelResolutionUnit.PixelsPerCentimeter, HorizontalResolution = 118.11, VerticalResolution = 59.055 };
        var scaled = PrintResolution.Scaled(metadata, 2)!;
        Assert.Equal(PixelResolutionUnit.PixelsPerCentimeter, scaled.ResolutionUnits);
        Assert.Equal(236.22, scaled.HorizontalResolution, 6);
        Assert.Equal(118.11, scaled.VerticalResolution, 6);
    }

    /// <summary>
    /// Resolutions no double equals exactly as a fraction of small terms (found by the fuzzer): ImageSharp's best-precision
    /// search for one never ended, and the run waited on its encode thread. Each is now scaled as a fraction.
    /// </summary>
    [Theory]
    [InlineData(72u, 4294967295u, 2, 144u, 4294967295u)]
    [InlineData(7201u, 100u, 3, 21603u, 100u)]
    [InlineData(3000000001u, 10000000u, 2, 3000000001u, 5000000u)]
    [InlineData(300u, 7u, 4, 1200u, 7u)]
    [InlineData(4000000000u, 3u, 2, 2666666667u, 1u)] // past 32 bits: the nearest fraction whose terms fit
    public async Task An_exif_resolution_is_scaled_as_an_exact_fraction_at_once(uint numerator, uint denominator, int scale, uint scaledNumerator, uint scaledDenominator)
    {
        var metadata = new ImageMetadata { ResolutionUnits = PixelResolutionUnit.PixelsPerInch, ExifProfile = new ExifProfile() };
        metadata.ExifProfile.SetValue(ExifTag.XResolution, new Rational(numerator, denominator, simplify: false));

        var scaling = Task.Run(() => PrintResolution.Scaled(metadata, scale));

        Assert.True(await Task.WhenAny(scaling, Task.Delay(TimeSpan.FromSeconds(10))) == scaling, "still looking for a fraction after 10 s");
        var scaled = (await scaling)!.ExifProfile!.GetValue(ExifTag.XResolution)!.Value;
        Assert.Equal((scaledNumerator, scaledDenominator), (scaled.Numerator, scaled.Denominator));
    }
}
