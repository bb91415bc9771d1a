namespace Swin2SR.Core.Tests.Support;

/// <summary>
/// Writes small JPEGs that ImageSharp 2.1 cannot: four-component CMYK and YCCK (Adobe APP14 transform 0 and
/// 2), progressive and 12-bit ones, and frame headers of other processes. The image is made of flat 8x8 blocks, so every block has a DC coefficient only
/// (8 x (value - 128) with a quantiser of 1, decoded back exactly) and every AC run is one end-of-block: the
/// whole encoder is a marker writer and a DC Huffman coder.
/// </summary>
internal static class HandMadeJpeg
{
    public const int AdobeUnknown = 0;
    public const int AdobeYcck = 2;

    // The standard luminance DC table (ITU T.81 Annex K.3): categories 0-11, enough for 8-bit samples. 12-bit ones
    // need categories up to 15: four more codes of 12 bits, after the others (the codes of 0-11 stay as they are).
    private static readonly byte[] s_dcCounts = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
    private static readonly byte[] s_dcCounts12 = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 4, 0, 0, 0, 0];
    private static readonly byte[] s_dcSymbols = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    private static readonly byte[] s_dcSymbols12 = [.. s_dcSymbols, 12, 13, 14, 15];

    /// <summary>
    /// <paramref name="blockValues"/>(column, row) gives each component's sample (0-255) for that 8x8 block.
    /// <paramref name="adobeTransform"/>: null for no APP14 marker (1 component gray, 3 YCbCr), else its transform.
    /// </summary>
    public static byte[] Encode(int blocksWide, int blocksHigh, int components, Func<int, int, byte[]> blockValues, int? adobeTransform = null, bool progressive = false) =>
        Encode(blocksWide, blocksHigh, components, (c, r) => [.. blockValues(c, r).Select(v => (int)v)], 8, progressive ? (byte)0xC2 : (byte)0xC0, adobeTransform);

    /// <summary>
    /// Samples of <paramref name="precision"/> bits (8 or 12; 0-4095 for 12), under the frame header
    /// <paramref name="frameCode"/>: 0xC0 baseline (8-bit only), 0xC1 extended (8 or 12), 0xC2 progressive; any
    /// other SOFn writes that header over the same sequential Huffman data, which no decoder of that process reads.
    /// </summary>
    public static byte[] Encode(int blocksWide, int blocksHigh, int components, Func<int, int, int[]> blockValues, int precision, byte frameCode, int? adobeTransform = null)
    {
        bool progressive = frameCode == 0xC2;
        var (dcCounts, dcSymbols) = precision > 8 ? (s_dcCounts12, s_dcSymbols12) : (s_dcCounts, s_dcSymbols);
        var output = new MemoryStream();
        output.Write([0xFF, 0xD8]);
        if (adobeTransform is int transform)
            Segment(output, 0xEE, [.. "Adobe"u8, 0, 100, 0, 0, 0, 0, (byte)transform]);
        Segment(output, 0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]);
        var frame = new List<byte> { (byte)precision, (byte)(blocksHigh * 8 >> 8), (byte)(blocksHigh * 8), (byte)(blocksWide * 8 >> 8), (byte)(blocksWide * 8), (byte)components };
        for (int c = 0; c < components; c++)
            frame.AddRange([(byte)(c + 1), 0x11, 0]);
        Segment(output, frameCode, [.. frame]);
        // DC table 0, and AC table 0 with a single one-bit code: symbol 0x00, end of block (EOB0 when progressive).
        Segment(output, 0xC4, [0x00, .. dcCounts, .. dcSymbols, 0x10, 1, .. new byte[15], 0x00]);
        var all = Enumerable.Range(0, components).ToArray();
        var dc = new DcCoder(dcCounts, dcSymbols, 1 << precision - 1);
        Scan(output, all, 0, progressive ? 0 : 63, bits => dc.Write(bits, blocksWide, blocksHigh, components, blockValues, progressive));
        if (progressive)
        {
            foreach (int c in all)
                Scan(output, [c], 1, 63, bits => WriteEndOfBlocks(bits, blocksWide * blocksHigh));
        }
        output.Write([0xFF, 0xD9]);
        return output.ToArray();
    }

    private static void WriteEndOfBlocks(BitWriter bits, int blocks)
    {
        for (int i = 0; i < blocks; i++)
            bits.Write((0, 1));
    }

    /// <summary>Codes each block's DC difference under one DC table; every AC run is a single end of block.</summary>
    /// <param name="levelShift">What T.81 subtracts from each sample: 128 for 8 bits, 2048 for 12.</param>
    private sealed class DcCoder(byte[] counts, byte[] symbols, int levelShift)
    {
        public void Write(BitWriter bits, int blocksWide, int blocksHigh, int components, Func<int, int, int[]> blockValues, bool progressive)
        {
            var previous = new int[components];
            for (int row = 0; row < blocksHigh; row++)
            {
                for (int column = 0; column < blocksWide; column++)
                {
                    var values = blockValues(column, row);
                    for (int c = 0; c < components; c++)
                    {
                        int dc = 8 * (values[c] - levelShift);
                        int diff = dc - previous[c];
                        previous[c] = dc;
                        int category = diff == 0 ? 0 : 32 - int.LeadingZeroCount(Math.Abs(diff));
                        bits.Write(Code(category));
                        // Negative values are sent as their ones' complement in `category` bits.
                        bits.Write(((diff < 0 ? diff - 1 : diff) & ((1 << category) - 1), category));
                        if (!progressive)
                            bits.Write((0, 1));
                    }
                }
            }
        }

        /// <summary>The canonical Huffman code of a DC category.</summary>
        private (int Code, int Length) Code(int category)
        {
            int code = 0, symbol = 0;
            for (int length = 1; length <= 16; length++)
            {
                for (int k = 0; k < counts[length - 1]; k++, symbol++, code++)
                {
                    if (symbols[symbol] == category)
                        return (code, length);
                }
                code <<= 1;
            }
            throw new ArgumentOutOfRangeException(nameof(category));
        }
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
