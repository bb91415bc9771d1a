namespace Swin2SR.Core.Imaging;

/// <summary>
/// Tells an animated GIF from a still one by walking its blocks (ImageSharp's identify does not count frames,
/// and decoding every frame of a long animation just to count them would be wasteful).
/// </summary>
internal static class GifFrames
{
    private const byte ExtensionIntroducer = 0x21;
    private const byte ImageDescriptor = 0x2C;
    private const byte Trailer = 0x3B;
    private const int HeaderLength = 13;
    private const int DescriptorLength = 9;

    /// <summary>True when a second image follows the first; a damaged file counts what can be read.</summary>
    public static bool IsAnimated(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderLength || !data[..4].SequenceEqual("GIF8"u8))
            return false;
        int p = HeaderLength + ColourTableLength(data[10]);
        int images = 0;
        while (p < data.Length)
        {
            byte block = data[p++];
            if (block == ExtensionIntroducer)
            {
                p = SkipSubBlocks(data, p + 1);
            }
            else if (block == ImageDescriptor)
            {
                if (++images > 1)
                    return true;
                if (p + DescriptorLength >= data.Length)
                    return false;
                p += DescriptorLength + ColourTableLength(data[p + DescriptorLength - 1]);
                // One byte of LZW minimum code size, then the image data sub-blocks.
                p = SkipSubBlocks(data, p + 1);
            }
            else
            {
                return false;
            }
        }
        return false;
    }

    /// <summary>A packed-fields byte whose top bit flags a colour table of 2^(n+1) RGB entries.</summary>
    private static int ColourTableLength(byte packed) => (packed & 0x80) != 0 ? 3 * (1 << ((packed & 0x07) + 1)) : 0;

    private static int SkipSubBlocks(ReadOnlySpan<byte> data, int p)
    {
        while (p < data.Length)
        {
            int size = data[p++];
            if (size == 0)
                break;
            p += size;
        }
        return p;
    }
}
