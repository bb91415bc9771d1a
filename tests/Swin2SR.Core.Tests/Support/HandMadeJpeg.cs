namespace Swin2SR.Core.Tests.Support;

/// <summary>
/// Writes small JPEGs that ImageSharp 2.1 cannot: four-component CMYK and YCCK (Adobe APP14 transform 0 and
/// 2), and progressive ones. The image is made of flat 8x8 blocks, so every block has a DC coefficient only
/// (8 x (value - 128) with a quantiser of 1, decoded back exactly) and every AC run is one end-of-block: the
/// whole encoder is a marker writer and a DC Huffman coder.
/// </summary>
internal static class HandMadeJpeg
{
    public const int AdobeUnknown = 0;
    public const int AdobeYcck = 2;

    // The standard luminance DC table (ITU T.81 Annex K.3): categories 0-11.
    private static readonly byte[] s_dcCounts = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
    private static readonly byte[] s_dcSymbols = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

    /// <summary>
    /// <paramref name="blockValues"/>(column, row) gives each component's sample (0-255) for that 8x8 block.
    /// <paramref name="adobeTransform"/>: null for no APP14 marker (1 component gray, 3 YCbCr), else its transform.
    /// </summary>
    public static byte[] Encode(int blocksWide, int blocksHigh, int components, Func<int, int, byte[]> blockValues, int? adobeTransform = null, bool progressive = false)
    {
        var output = new MemoryStream();
        output.Write([0xFF, 0xD8]);
        if (adobeTransform is int transform)
            Segment(output, 0xEE, [.. "Adobe"u8, 0, 100, 0, 0, 0, 0, (byte)transform]);
        Segment(output, 0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]);
        var frame = new List<byte> { 8, (byte)(blocksHigh * 8 >> 8), (byte)(blocksHigh * 8), (byte)(blocksWide * 8 >> 8), (byte)(blocksWide * 8), (byte)components };
        for (int c = 0; c < components; c++)
            frame.AddRange([(byte)(c + 1), 0x11, 0]);
        Segment(output, progressive ? (byte)0xC2 : (byte)0xC0, [.. frame]);
        // DC table 0, and AC table 0 with a single one-bit code: symbol 0x00, end of block (EOB0 when progressive).
        Segment(output, 0xC4, [0x00, .. s_dcCounts, .. s_dcSymbols, 0x10, 1, .. new byte[15], 0x00]);
        var all = Enumerable.Range(0, components).ToArray();
        Scan(output, all, 0, progressive ? 0 : 63, bits => WriteDc(bits, blocksWide, blocksHigh, components, blockValues, all.Length, progressive));
        if (progressive)
        {
            foreach (int c in all)
                Scan(output, [c], 1, 63, bits => WriteEndOfBlocks(bits, blocksWide * blocksHigh));
        }
        output.Write([0xFF, 0xD9]);
        return output.ToArray();
    }

    private static void WriteDc(BitWriter bits, int blocksWide, int blocksHigh, int components, Func<int, int, byte[]> blockValues, int count, bool progressive)
    {
        var previous = new int[components];
        for (int row = 0; row < blocksHigh; row++)
        {
            for (int column = 0; column < blocksWide; column++)
            {
                var values = blockValues(column, row);
                for (int c = 0; c < count; c++)
                {
                    int dc = 8 * (values[c] - 128);
                    int diff = dc - previous[c];
                    previous[c] = dc;
                    int category = diff == 0 ? 0 : 32 - int.LeadingZeroCount(Math.Abs(diff));
                    bits.Write(DcCode(category));
                    // Negative values are sent as their ones' complement in `category` bits.
                    bits.Write(((diff < 0 ? diff - 1 : diff) & ((1 << category) - 1), category));
                    if (!progressive)
                        bits.Write((0, 1));
                }
            }
        }
    }

    private static void WriteEndOfBlocks(BitWriter bits, int blocks)
    {
        for (int i = 0; i < blocks; i++)
            bits.Write((0, 1));
    }

    /// <summary>The canonical Huffman code of a DC category under <see cref="s_dcCounts"/>.</summary>
    private static (int Code, int Length) DcCode(int category)
    {
        int code = 0, symbol = 0;
        for (int length = 1; length <= 16; length++)
        {
            for (int k = 0; k < s_dcCounts[length - 1]; k++, symbol++, code++)
            {
                if (s_dcSymbols[symbol] == category)
                    return (code, length);
            }
            code <<= 1;
        }
        throw new ArgumentOutOfRangeException(nameof(category));
    }

    private static void Scan(Stream output, int[] components, int start, int end, Action<BitWriter> body)
    {
        var header = new List<byte> { (byte)components.Length };
        foreach (int c in components)
            header.AddRange([(byte)(c + 1), 0x00]);
        header.AddRange([(byte)start, (byte)end, 0]);
        Segment(output, 0xDA, [.. header]);
        var bits = new BitWriter(output);
        body(bits);
        bits.Flush();
    }

    private static void Segment(Stream output, byte marker, byte[] payload)
    {
        output.Write([0xFF, marker, (byte)(payload.Length + 2 >> 8), (byte)(payload.Length + 2)]);
        output.Write(payload);
    }

    /// <summary>MSB-first bits with 0xFF byte stuffing; the last byte is padded with ones.</summary>
    private sealed class BitWriter(Stream output)
    {
        private int _buffer;
        private int _count;

        public void Write((int Value, int Length) code)
        {
            for (int i = code.Length - 1; i >= 0; i--)
            {
                _buffer = _buffer << 1 | (code.Value >> i & 1);
                if (++_count == 8)
                    Emit();
            }
        }

        public void Flush()
        {
            while (_count != 0)
                Write((1, 1));
        }

        private void Emit()
        {
            output.WriteByte((byte)_buffer);
            if (_buffer == 0xFF)
                output.WriteByte(0);
            _buffer = 0;
            _count = 0;
        }
    }
}
