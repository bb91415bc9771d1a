using System.Text;
using System.Text.RegularExpressions;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>
/// A resolution that differs across and down turns with the pixels: a page stored sideways at 200 x 100 dpi with
/// orientation 6 stands upright at 100 x 200 dpi, in JFIF, EXIF and XMP; a half turn (3) keeps it.
/// </summary>
public sealed class TurnedResolutionTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ImageLoader _loader = new(ImageLimits.Default);

    public void Dispose() => _folder.Dispose();

    private const string Xmp = "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
        + "<rdf:Description xmlns:tiff='http://ns.adobe.com/tiff/1.0/' tiff:XResolution=\"200/1\"><tiff:YResolution>100/1</tiff:YResolution>"
        + "</rdf:Description></rdf:RDF></x:xmpmeta>";

    [Theory]
    [InlineData(6, 100, 200)]
    [InlineData(8, 100, 200)]
    [InlineData(3, 200, 100)]
    public void The_written_output_states_the_resolution_of_its_upright_rows_and_columns(ushort orientation, double across, double down)
    {
        string input = _folder.File("page.jpg"), output = _folder.File("out.jpg");
        File.WriteAllBytes(input, ResolutionJpeg.Encode(200, 100, Xmp, orientation));
        var loaded = _loader.Load(input, 2);

        new ImageWriter(90).Write(new UpscaledImage(loaded.Pixels, null, loaded.Traits, loaded.Metadata), "JPEG", output, CancellationToken.None);

        var metadata = Image.Identify(output).Metadata;
        Assert.Equal((across, down), (metadata.HorizontalResolution, metadata.VerticalResolution));
        Assert.Equal((across, down), (metadata.ExifProfile!.GetValue(ExifTag.XResolution)!.Value.ToDouble(), metadata.ExifProfile.GetValue(ExifTag.YResolution)!.Value.ToDouble()));
        string xmp = Encoding.UTF8.GetString(metadata.XmpProfile!.ToByteArray());
        Assert.Equal(($"{across}/1", $"{down}/1"), (XmpValue(xmp, "tiff:XResolution"), XmpValue(xmp, "tiff:YResolution")));
    }

    /// <summary>The value of an XMP property written as an attribute or as an element.</summary>
    private static string XmpValue(string xmp, string name) =>
        Regex.Match(xmp, $@"{name}=""([^""]*)""|<{name}>([^<]*)</{name}>") is { Success: true } m ? m.Groups[1].Value + m.Groups[2].Value : "absent";
}
