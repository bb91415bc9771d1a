using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// A PNG without a pHYs chunk, any WebP or GIF, a TIFF without XResolution and a JPEG whose JFIF segment gives only
/// square pixels (units 0, as libjpeg and Pillow write it) state no resolution of their own; ImageSharp then reports
/// its default, 96 dpi (for that JPEG: 1 "dot" per unit of aspect ratio), and its encoders write the image's resolution
/// into the output's EXIF (and a PNG's pHYs): an EXIF that said 72 dpi came out saying 96, a JPEG's 300 dpi came out
/// as 1 dpi. Where the container is silent, the resolution its EXIF states is the image's;
/// where the EXIF states none either, the outputs state none (an aspect ratio of 1:1), not 96 dpi.
/// </summary>
internal static class ExifResolution
{
    private const ushort NoUnit = 1, Centimetre = 3, XResolutionTag = 282;

    public static void AdoptWhereContainerIsSilent(string formatName, ReadOnlySpan<byte> file, ImageMetadata metadata)
    {
        bool silent = formatName switch
        {
            "PNG" => PngChunks.Find(file, "pHYs") is null,
            "Webp" or "GIF" => true,
            "TIFF" => !TiffStructure.FirstPageHas(file, XResolutionTag),
            "JPEG" => JpegStructure.JfifStatesNoResolution(file),
            _ => false,
        };
        if (!silent)
            return;
        var exif = metadata.ExifProfile;
        double? x = exif?.GetValue(ExifTag.XResolution)?.Value.ToDouble(), y = exif?.GetValue(ExifTag.YResolution)?.Value.ToDouble();
        if (exif is null || x is not (> 0 and < double.PositiveInfinity) || y is not (> 0 and < double.PositiveInfinity))
        {
            metadata.ResolutionUnits = PixelResolutionUnit.AspectRatio;
            metadata.HorizontalResolution = metadata.VerticalResolution = 1;
            return;
        }
        metadata.ResolutionUnits = exif.GetValue(ExifTag.ResolutionUnit)?.Value switch
        {
            NoUnit => PixelResolutionUnit.AspectRatio,
            Centimetre => PixelResolutionUnit.PixelsPerCentimeter,
            _ => PixelResolutionUnit.PixelsPerInch,
        };
        metadata.HorizontalResolution = x.Value;
        metadata.VerticalResolution = y.Value;
    }
}
