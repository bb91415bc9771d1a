namespace Swin2SR.Core.Imaging;

/// <summary>
/// What an input was, so that its output can be written the same way: 16-bit stays 16-bit, grayscale stays
/// grayscale, transparency stays transparency (where the output format can hold them).
/// </summary>
/// <param name="FormatName">The decoder's format name: "PNG", "JPEG", "Webp", "BMP", "TIFF", "GIF".</param>
/// <param name="BitDepth">Bits per channel of the source: 8 (or fewer), or what a deeper PNG or TIFF stores (16, 24, 32).</param>
/// <param name="IsGray">The source is stored as grayscale (PNG gray, JPEG luminance, gray TIFF, an indexed image whose palette is all gray).</param>
/// <param name="HasAlpha">Some pixel is not fully opaque. An alpha channel that is opaque everywhere carries nothing and is dropped.</param>
/// <param name="IsLosslessWebp">The source is a WebP stored losslessly (VP8L): a WebP output of it is lossless too.</param>
public sealed record ImageTraits(string FormatName, int BitDepth, bool IsGray, bool HasAlpha, bool IsLosslessWebp = false);
