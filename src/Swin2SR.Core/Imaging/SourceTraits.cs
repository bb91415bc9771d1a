using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff.Constants;
using SixLabors.ImageSharp.PixelFormats;

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

    /// <summary>
    /// Stored as gray levels: a gray colour type, or an indexed image (PNG, GIF, TIFF palette, BMP of up to 8 bits)
    /// whose palette holds only grays, as BMP and GIF store grayscale and scanners store black and white; unless it
    /// carries an ICC profile, which is one for RGB (as PNG and TIFF require of a palette) that a gray output would lose.
    /// </summary>
    public static bool IsGray(Image<Rgba64> image, IImageFormat format) => format.Name switch
    {
        "PNG" => image.Metadata.GetPngMetadata().ColorType switch
        {
            PngColorType.Grayscale or PngColorType.GrayscaleWithAlpha => true,
            PngColorType.Palette => IsGrayIndexed(image),
            _ => false,
        },
        "JPEG" => image.Metadata.GetJpegMetadata().ColorType == JpegColorType.Luminance,
        "TIFF" => image.Frames.RootFrame.Metadata.GetTiffMetadata().PhotometricInterpretation switch
        {
            TiffPhotometricInterpretation.BlackIsZero or TiffPhotometricInterpretation.WhiteIsZero => true,
            TiffPhotometricInterpretation.PaletteColor => IsGrayIndexed(image),
            _ => false,
        },
        "BMP" => image.Metadata.GetBmpMetadata().BitsPerPixel <= BmpBitsPerPixel.Pixel8 && IsGrayIndexed(image),
        "GIF" => IsGrayIndexed(image),
        _ => false,
    };

    private static bool IsGrayIndexed(Image<Rgba64> image) => image.Metadata.IccProfile is null && HasGrayPalette(image);

    /// <summary>
    /// Whether the palette entries an indexed image uses are all gray: read from its pixels, as ImageSharp 2.1 does not
    /// hand out palettes. The colour of fully transparent pixels is not seen, and does not count.
    /// </summary>
    private static bool HasGrayPalette(Image<Rgba64> image)
    {
        bool gray = true;
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height && gray; y++)
                foreach (var p in rows.GetRowSpan(y))
                    if (p.A != 0 && (p.R != p.G || p.G != p.B))
                    {
                        gray = false;
                        break;
                    }
        });
        return gray;
    }
}
