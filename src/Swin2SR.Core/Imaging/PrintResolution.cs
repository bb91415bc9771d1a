using System.Globalization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// -KeepPrintSize: an output with <c>scale</c> times the pixels states <c>scale</c> times the resolution, so it prints
/// (and a layout program places it) at the size of its input, more finely: a 300 dpi scan upscaled x4 states 1,200 dpi.
/// Without it the resolution is kept and the print grows with the pixels, as most upscalers leave it. Every place a
/// resolution is stated is changed alike (the container's, EXIF's and XMP's), or viewers that read another would
/// disagree; an image that states no resolution (an aspect ratio only) keeps stating none.
/// </summary>
internal static class PrintResolution
{
    public static ImageMetadata? Scaled(ImageMetadata? source, int scale)
    {
        if (source is null || source.ResolutionUnits == PixelResolutionUnit.AspectRatio)
            return source;
        var metadata = source.DeepClone();
        metadata.HorizontalResolution *= scale;
        metadata.VerticalResolution *= scale;
        if (metadata.ExifProfile is { } exif)
        {
            foreach (var tag in new[] { ExifTag.XResolution, ExifTag.YResolution })
                if (exif.GetValue(tag)?.Value is { Denominator: > 0 } value)
                    exif.SetValue(tag, new Rational(value.ToDouble() * scale, bestPrecision: true));
        }
        OutputMetadata.RewriteXmp(metadata, xmp => ScaledXmp(xmp, scale));
        return metadata;
    }

    /// <summary>tiff:XResolution and tiff:YResolution, written "300/1" or "300".</summary>
    internal static string ScaledXmp(string xmp, int scale) =>
        OutputMetadata.RewriteProperty(OutputMetadata.RewriteProperty(xmp, "tiff:XResolution", v => Scaled(v, scale)), "tiff:YResolution", v => Scaled(v, scale));

    private static string Scaled(string value, int scale)
    {
        var parts = value.Split('/');
        var invariant = CultureInfo.InvariantCulture;
        if (!double.TryParse(parts[0], NumberStyles.Float, invariant, out double numerator))
            return value;
        return parts.Length == 2 ? (numerator * scale).ToString(invariant) + "/" + parts[1] : (numerator * scale).ToString(invariant);
    }
}
