using SixLabors.ImageSharp.Metadata;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// A JPEG's JFIF segment states its resolution in 16 bits, and ImageSharp 2.1 writes a larger one cut to them
/// without a word: a film scan at 20,000 dpi upscaled x4 with -KeepPrintSize came out stating 14,464 dpi. Such a
/// resolution is stated per centimetre instead (up to 166,000 dpi), which JFIF also holds; one past even that
/// states none, rather than a wrong one.
/// </summary>
internal static class JfifDensity
{
    private const double MaxDensity = ushort.MaxValue;
    private const double CentimetresPerInch = 2.54;

    public static void Fit(ImageMetadata metadata)
    {
        double largest = Math.Max(metadata.HorizontalResolution, metadata.VerticalResolution);
        if (metadata.ResolutionUnits == PixelResolutionUnit.PixelsPerMeter)
        {
            // ImageSharp writes these as dots per inch.
            largest *= CentimetresPerInch / 100;
        }
        if (metadata.ResolutionUnits == PixelResolutionUnit.AspectRatio || Math.Round(largest) <= MaxDensity)
            return;
        if (metadata.ResolutionUnits != PixelResolutionUnit.PixelsPerCentimeter && Math.Round(largest / CentimetresPerInch) <= MaxDensity)
        {
            double perCentimetre = metadata.ResolutionUnits == PixelResolutionUnit.PixelsPerMeter ? 0.01 : 1 / CentimetresPerInch;
            metadata.HorizontalResolution *= perCentimetre;
            metadata.VerticalResolution *= perCentimetre;
            metadata.ResolutionUnits = PixelResolutionUnit.PixelsPerCentimeter;
            return;
        }
        metadata.ResolutionUnits = PixelResolutionUnit.AspectRatio;
        metadata.HorizontalResolution = metadata.VerticalResolution = 1;
    }
}
