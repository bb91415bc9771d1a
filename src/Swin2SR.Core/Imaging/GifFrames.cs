namespace Swin2SR.Core.Imaging;

/// <summary>
/// Walks a GIF's blocks to tell an animated GIF from a still one (ImageSharp's identify does not count frames,
/// and decoding every frame of a long animation just to count them would be wasteful), and a first frame cut short,
/// whose missing rows ImageSharp fills without a word; and where the first image lies on the logical screen.
/// </summary>
internal static class GifFrames
{
    private const byte ExtensionIntroducer = 0x21;
    private const byte ImageDescriptor = 0x2C;
    private const int HeaderLength = 13;
    private const int DescriptorLength = 9;

    /// <summary>True when a second image follows the first; a damaged file counts what can be read.</summary>
    public static bool IsAnimated(ReadOnlySpan<byte> data) => Walk(data).Images > 1;

    /// <summary>
    /// The first image's left, top, width and height on the logical screen, from its image descriptor; null when
    /// the walk meets no whole descriptor.
    /// </summary>
    public static (int Left, int Top, int Width, int Height)? FirstImageBounds(ReadOnlySpan<byte> data)
    {
        int at = Walk(data).FirstDescriptor;
        if (at < 0)
            return null;
        var d = data.Slice(at, DescriptorLength);
        return (Short(d), Short(d[2..]), Short(d[4..]), Short(d[6..]));
    }

    /// <summary>
    /// Null when the first image's data ends inside the file (the frames after it are not decoded); otherwise why
    /// not. A block the walk does not know is left to the decoder to report.
    /// </summary>
    public static string? FindTruncation(ReadOnlySpan<byte> data)
    {
        var (images, firstWhole, ended, _) = Walk(data);
        if (images == 0 && ended)
            return $"the file ends before its first image, at byte {data.Length} (the file is truncated)";
        return images > 0 && !firstWhole ? $"its first image's data ends early, at byte {data.Length} (the file is truncated)" : null;
    }

    /// <summary>
    /// The images met before the walk stopped (at the second image, at a block it does not know, or at the end of
    /// the file), whether the first one's data ended with its terminator inside the file, and whether the walk ran
    /// into the end of the file, and where the first image's descriptor starts (after its separator; -1: no whole one).
    /// </summary>
    private static (int Images, bool FirstWhole, bool Ended, int FirstDescriptor) Walk(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderLength || !data[..4].SequenceEqual("GIF8"u8))
            return (0, false, false, -1);
        int p = HeaderLength + ColourTableLength(data[10]);
        int images = 0;
        bool firstWhole = false;
        int firstDescriptor = -1;
        while (p < data.Length)
        {
            byte block = data[p++];
            if (block == ExtensionIntroducer)
            {
                p = SkipSubBlocks(data, p + 1, out _);
            }
            else if (block == ImageDescriptor)
            {
                if (++images > 1)
                    return (images, firstWhole, false, firstDescriptor);
                if (p + DescriptorLength >= data.Length)
                    return (images, false, true, firstDescriptor);
                firstDescriptor = p;
                p += DescriptorLength + ColourTableLength(data[p + DescriptorLength - 1]);
                // One byte of LZW minimum code size, then the image data sub-blocks.
                p = SkipSubBlocks(data, p + 1, out firstWhole);
            }
            else
            {
                return (images, firstWhole, false, firstDescriptor);
            }
        }
        return (images, firstWhole, true, firstDescriptor);
    }

    private static int Short(ReadOnlySpan<byte> bytes) => bytes[0] | bytes[1] << 8;

    /// <summary>A packed-fields byte whose top bit flags a colour table of 2^(n+1) RGB entries.</summary>
    private static int ColourTableLength(byte packed) => (packed & 0x80) != 0 ? 3 * (1 << ((packed & 0x07) + 1)) : 0;

    /// <summary>Where the sub-blocks starting at <paramref name="p"/> end; <paramref name="terminated"/>: with their zero-length block, inside the file.</summary>
    private static int SkipSubBlocks(ReadOnlySpan<byte> data, int p, out bool terminated)
    {
        terminated = false;
        while (p < data.Length)
        {
            int size = data[p++];
            if (size == 0)
            {
                terminated = true;
                break;
            }
            p += size;
        }
        return p;
    }
}
