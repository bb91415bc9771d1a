using System.Globalization;
using SixLabors.ImageSharp.Metadata;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// ImageSharp 2.1's encoders turn the image's resolution into the output's EXIF XResolution and YResolution through
/// <c>new Rational(double)</c>, which counts the numerator up one at a time: a 2.5 KB JPEG whose EXIF (or a TIFF or PNG
/// whose own tag) states 4,278,190,380 dpi kept its encode thread busy for about 20 s per output, and longer with
/// -KeepPrintSize (found by the fuzzer, docs/fuzzing.md). No image is printed or scanned at a million dots per inch
/// (25 nm a pixel, past any light microscope): a resolution over that is damage, and the image is taken to state none.
/// At the other end a damaged rational (72/4294967295) came out as EXIF 0/0, Indeterminate. The smallest resolution a
/// real file states is far above 0.01 dpi (a dot every 2.5 m): a map or GIS raster says 1 dpi or 1:1, a fax 98 dpi, and
/// the least a PNG can state, 1 pixel per metre, is 0.0254 dpi; ImageSharp's "none" is an aspect ratio of 1:1.
/// </summary>
internal static class ImplausibleResolution
{
    public const double MaxDotsPerInch = 1_000_000, MinDotsPerInch = 0.01;

    /// <summary>Sets <paramref name="metadata"/> to state no resolution when it states an implausible one; the warning, or null.</summary>
    public static string? Drop(ImageMetadata metadata)
    {
        double perInch = metadata.ResolutionUnits switch
        {
            PixelResolutionUnit.PixelsPerCentimeter => 2.54,
            PixelResolutionUnit.PixelsPerMeter => 0.0254,
            _ => 1, // per inch, or an aspect ratio: its numbers go through the same conversion
        };
        double largest = Math.Max(metadata.HorizontalResolution, metadata.VerticalResolution) * perInch;
        double smallest = Math.Min(metadata.HorizontalResolution, metadata.VerticalResolution) * perInch;
        // Written so that NaN (a 0/0 rational) is dropped too.
        string? why = !(largest <= MaxDotsPerInch) ? string.Create(CultureInfo.InvariantCulture, $"({largest:0} dots per inch) is implausible, over {MaxDotsPerInch:0}")
            : smallest < MinDotsPerInch ? string.Create(CultureInfo.InvariantCulture, $"({smallest:G3} dots per inch) is implausible, under {MinDotsPerInch}")
            : null;
        if (why is null)
            return null;
        metadata.ResolutionUnits = PixelResolutionUnit.AspectRatio;
        metadata.HorizontalResolution = metadata.VerticalResolution = 1;
        return $"its stated resolution {why}: the output states none";
    }
}
