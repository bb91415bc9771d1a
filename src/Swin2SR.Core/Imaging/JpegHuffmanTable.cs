namespace Swin2SR.Core.Imaging;

/// <summary>A canonical Huffman table (T.81 Annex C), decoded a bit at a time: only a rare file missing its EOI comes here.</summary>
internal sealed class JpegHuffmanTable
{
    private readonly int[] _maxCode = new int[17];
    private readonly int[] _offset = new int[17];
    private readonly byte[] _symbols;

    private JpegHuffmanTable(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> symbols)
    {
        _symbols = symbols.ToArray();
        int code = 0, k = 0;
        for (int length = 1; length <= 16; length++)
        {
            int n = counts[length - 1];
            _offset[length] = k - code;
            k += n;
            code += n;
            _maxCode[length] = n > 0 ? code - 1 : -1;
            code <<= 1;
        }
    }

    /// <summary>Every table of a DHT segment into [class, id]; false when the segment does not hold what it declares.</summary>
    public static bool ReadAll(ReadOnlySpan<byte> body, JpegHuffmanTable?[,] tables)
    {
        while (body.Length > 0)
        {
            if (body.Length < 17)
                return false;
            int tableClass = body[0] >> 4, id = body[0] & 15, total = 0;
            foreach (byte n in body.Slice(1, 16))
                total += n;
            if (tableClass > 1 || id > 3 || total > 256 || body.Length < 17 + total)
                return false;
            tables[tableClass, id] = new JpegHuffmanTable(body.Slice(1, 16), body.Slice(17, total));
            body = body[(17 + total)..];
        }
        return true;
    }

    /// <summary>The next symbol; -1 when the bits run out or no code matches (<see cref="JpegBitReader.Damaged"/>).</summary>
    public int Decode(ref JpegBitReader bits)
    {
        int code = 0;
        for (int length = 1; length <= 16; length++)
        {
            int bit = bits.Bit();
            if (bit < 0)
                return -1;
            code = code << 1 | bit;
            if (code <= _maxCode[length])
                return _symbols[code + _offset[length]];
        }
        bits.Damaged = true;
        return -1;
    }
}
