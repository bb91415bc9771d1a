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
                    exif.SetValue(tag, Times(value, scale));
        }
        OutputMetadata.RewriteXmp(metadata, xmp => ScaledXmp(xmp, scale));
        return metadata;
    }

    /// <summary>
    /// <paramref name="value"/> times <paramref name="scale"/>, exactly where EXIF's 32 bits hold it. Not through
    /// <c>new Rational(double, bestPrecision: true)</c>: ImageSharp 2.1 searches numerators and denominators one by one
    /// for a fraction equal to the double, which a stated 72/4294967295 dpi (or 72.01 dpi times 3) never gives, and a
    /// run with -KeepPrintSize waited on its encode thread without end (found by the fuzzer, docs/fuzzing.md).
    /// </summary>
    internal static Rational Times(Rational value, int scale)
    {
        ulong common = Gcd(value.Denominator, (uint)scale);
        ulong numerator = value.Numerator * ((uint)scale / common), denominator = value.Denominator / common;
        if (numerator > uint.MaxValue)
        {
            // Past EXIF's 32 bits: the largest denominator whose numerator fits, and the numerator nearest the value over it.
            ulong fitting = (ulong)((double)denominator * uint.MaxValue / numerator);
            if (fitting == 0)
                return new Rational(uint.MaxValue, 1);
            (numerator, denominator) = ((ulong)Math.Min(Math.Round((double)numerator * fitting / denominator), uint.MaxValue), fitting);
        }
        return new Rational((uint)numerator, (uint)denominator, simplify: false);
    }

    private static ulong Gcd(ulong a, ulong b) => b == 0 ? a : Gcd(b, a % b);

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
