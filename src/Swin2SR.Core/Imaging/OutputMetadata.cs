using System.Text;
using System.Text.RegularExpressions;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.Metadata.Profiles.Xmp;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// The input's metadata as it should travel to the output: ICC, EXIF, XMP and IPTC kept; the orientation reset
/// to 1 (the pixels were turned upright on decoding) and the pixel dimensions set to the output's, in EXIF and
/// in XMP, so no viewer rotates the picture twice or trusts a stale size.
/// </summary>
internal static partial class OutputMetadata
{
    public static ImageMetadata For(ImageMetadata source, int width, int height)
    {
        var metadata = source.DeepClone();
        if (metadata.ExifProfile is { } exif)
        {
            exif.SetValue(ExifTag.Orientation, (ushort)1);
            if (exif.GetValue(ExifTag.PixelXDimension) is not null)
                exif.SetValue(ExifTag.PixelXDimension, (SixLabors.ImageSharp.Number)(uint)width);
            if (exif.GetValue(ExifTag.PixelYDimension) is not null)
                exif.SetValue(ExifTag.PixelYDimension, (SixLabors.ImageSharp.Number)(uint)height);
            SortEntries(exif);
        }
        RewriteXmp(metadata, xmp => UpdateXmp(xmp, width, height));
        return metadata;
    }

    /// <summary>
    /// TIFF, and so EXIF, keeps each directory's entries in ascending tag order; ImageSharp writes them in the order of
    /// its list, which its reader fills with the values that fit in their entry first (a phone photo's Orientation before
    /// its Make, GPSLatitudeRef before GPSLatitude): exiftool -validate flagged every output as out of order, and a
    /// reader that looks tags up by that order misses them. The list the profile hands out is the one it writes.
    /// </summary>
    private static void SortEntries(ExifProfile exif)
    {
        if (exif.Values is List<IExifValue> values)
            values.Sort((a, b) => ((ushort)a.Tag).CompareTo((ushort)b.Tag));
    }

    /// <summary>Replaces <paramref name="metadata"/>'s XMP, where it has any, with <paramref name="rewrite"/> of its text.</summary>
    internal static void RewriteXmp(ImageMetadata metadata, Func<string, string> rewrite)
    {
        if (metadata.XmpProfile?.ToByteArray() is { Length: > 0 } xmp)
            metadata.XmpProfile = new XmpProfile(Encoding.UTF8.GetBytes(rewrite(Encoding.UTF8.GetString(xmp))));
    }

    /// <summary>
    /// XMP writes a property as an attribute (<c>tiff:Orientation="6"</c>) or an element
    /// (<c>&lt;tiff:Orientation&gt;6&lt;/tiff:Orientation&gt;</c>); both forms are rewritten, nothing else is touched.
    /// </summary>
    internal static string UpdateXmp(string xmp, int width, int height)
    {
        xmp = SetProperty(xmp, "tiff:Orientation", "1");
        foreach (var (name, value) in new[] { ("exif:PixelXDimension", width), ("tiff:ImageWidth", width), ("exif:PixelYDimension", height), ("tiff:ImageLength", height) })
            xmp = SetProperty(xmp, name, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return xmp;
    }

    private static string SetProperty(string xmp, string name, string value) => RewriteProperty(xmp, name, _ => value);

    /// <summary>Each value of the property <paramref name="name"/>, in both of XMP's forms, replaced by <paramref name="rewrite"/> of it.</summary>
    internal static string RewriteProperty(string xmp, string name, Func<string, string> rewrite)
    {
        string escaped = Regex.Escape(name);
        xmp = Regex.Replace(xmp, $@"({escaped}\s*=\s*)([""'])([^""']*)\2", m => m.Groups[1].Value + m.Groups[2].Value + rewrite(m.Groups[3].Value) + m.Groups[2].Value);
        return Regex.Replace(xmp, $@"(<{escaped}>)([^<]*)(</{escaped}>)", m => m.Groups[1].Value + rewrite(m.Groups[2].Value) + m.Groups[3].Value);
    }
}
