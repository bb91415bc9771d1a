using System.Text.RegularExpressions;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// A resolution that differs across and down (a fax's 204 x 98 dpi, a scanner's 600 x 300) belongs to the stored
/// rows and columns: once the pixels are turned a quarter upright, what was across is down. Its horizontal and
/// vertical values swap with them, in the container's, EXIF's and XMP's statement alike, or the x4 output of a
/// portrait page stored sideways at 200 x 100 dpi would print at a quarter of its width and twice its height.
/// </summary>
internal static partial class TurnedResolution
{
    private static readonly (ExifTag<Rational> Across, ExifTag<Rational> Down)[] s_exifPairs =
    [
        (ExifTag.XResolution, ExifTag.YResolution),
        (ExifTag.FocalPlaneXResolution, ExifTag.FocalPlaneYResolution),
    ];

    /// <summary>Swaps the across and down resolutions of an image turned by 90 degrees.</summary>
    public static void Swap(ImageMetadata metadata)
    {
        (metadata.HorizontalResolution, metadata.VerticalResolution) = (metadata.VerticalResolution, metadata.HorizontalResolution);
        if (metadata.ExifProfile is { } exif)
        {
            foreach (var (across, down) in s_exifPairs)
            {
                var (x, y) = (exif.GetValue(across), exif.GetValue(down));
                Put(exif, across, y);
                Put(exif, down, x);
            }
        }
        OutputMetadata.RewriteXmp(metadata, xmp => XmpPair().Replace(xmp, m => m.Groups[1].Value + (m.Groups[2].Value == "X" ? "Y" : "X") + "Resolution"));
    }

    private static void Put(ExifProfile exif, ExifTag<Rational> tag, IExifValue<Rational>? value)
    {
        if (value is null)
            exif.RemoveValue(tag);
        else
            exif.SetValue(tag, value.Value);
    }

    /// <summary>The XMP names of the resolutions that swap (tiff:XResolution, exif:FocalPlaneYResolution...), as attributes and elements alike.</summary>
    [GeneratedRegex(@"\b(tiff:|exif:FocalPlane)([XY])Resolution\b")]
    private static partial Regex XmpPair();
}
