using SixLabors.ImageSharp.Formats;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// An input's format and upright size from its header, checked against the limits (<see cref="ImageLoader.Identify(byte[], string, int)"/>);
/// decoding takes it back so that the header is read, and a JPEG's structure scanned, once.
/// </summary>
public sealed record ImageHeader(int Width, int Height, string FormatName)
{
    internal IImageFormat Format { get; init; } = null!;

    /// <summary>The bytes the decoder reads: the file's, or the one copy of them that ImageLoader mends for ImageSharp.</summary>
    internal byte[] DecoderData { get; init; } = null!;

    /// <summary>What decoding holds beside the file and the pixels: a tiled TIFF's copy laid out in strips (<see cref="TiledTiff.LaidOutBytes"/>), a gray TIFF's with alpha split in two (<see cref="GrayAlphaTiff.LaidOutBytes"/>), else 0.</summary>
    internal long LaidOutBytes { get; init; }
}
