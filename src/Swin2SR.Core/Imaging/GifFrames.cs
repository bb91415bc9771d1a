namespace Swin2SR.Core.Imaging;

/// <summary>
/// Walks a GIF's blocks to tell an animated GIF from a still one (ImageSharp's identify does not count frames,
/// and decoding every frame of a long animation just to count them would be wasteful), and a first frame cut short,
/// whose missing rows ImageSharp fills without a word.
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
    /// Null when the first image's data ends inside the file (the frames after it are not decoded); otherwise why
    /// not. A block the walk does not know is left to the decoder to report.
    /// </summary>
    public static string? FindTruncation(ReadOnlySpan<byte> data)
    {
        var (images, firstWhole, ended) = Walk(data);
        if (images == 0 && ended)
            return $"the file ends before its first image, at byte {data.Length} (the file is truncated)";
        return images > 0 && !firstWhole ? $"its first image's data ends early, at byte {data.Length} (the file is truncated)" : null;
    }

    /// <summary>
    /// The images met before the walk stopped (at the second image, at a block it does not know, or at the end of
    /// the file), whether the first one's data ended with its terminator inside the file, and whether the walk ran
    /// into the end of the file.
    /// </summary>
    private static (int Images, bool FirstWhole, bool Ended) Walk(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderLength || !data[..4].SequenceEqual("GIF8"u8))
            return (0, false, false);
        int p = HeaderLength + ColourTableLength(data[10]);
        int images = 0;
        bool firstWhole = false;
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
                    return (images, firstWhole, false);
                if (p + DescriptorLength >= data.Length)
                    return (images, false, true);
                p += DescriptorLength + ColourTableLength(data[p + DescriptorLength - 1]);
                // One byte of LZW minimum code size, then the image data sub-blocks.
                p = SkipSubBlocks(data, p + 1, out firstWhole);
            }
            else
            {
                return (images, firstWhole, false);
            }
        }
        return (images, firstWhole, true);
    }

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
