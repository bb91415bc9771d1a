using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff.Constants;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// How a decoded image was stored, from its format's metadata (not from its content: a colour photo of a grey
/// wall is still a colour image).
/// </summary>
internal static class SourceTraits
{
    public static int BitDepth(Image image, IImageFormat format) => format.Name switch
    {
        "PNG" => image.Metadata.GetPngMetadata().BitDepth == PngBitDepth.Bit16 ? 16 : 8,
        // 16, 24 or 32 (integer or floating point): each is decoded at 16 bits, more than an 8-bit output holds.
        "TIFF" => Math.Max((int)(image.Frames.RootFrame.Metadata.GetTiffMetadata().BitsPerSample?.Channel0 ?? 8), 8),
        _ => 8,
    };

    public static bool IsGray(Image image, IImageFormat format) => format.Name switch
    {
        "PNG" => image.Metadata.GetPngMetadata().ColorType is PngColorType.Grayscale or PngColorType.GrayscaleWithAlpha,
        "JPEG" => image.Metadata.GetJpegMetadata().ColorType == JpegColorType.Luminance,
        "TIFF" => image.Frames.RootFrame.Metadata.GetTiffMetadata().PhotometricInterpretation
            is TiffPhotometricInterpretation.BlackIsZero or TiffPhotometricInterpretation.WhiteIsZero,
        _ => false,
    };
}
