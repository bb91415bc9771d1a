using System.Buffers.Binary;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// Works around ImageSharp 2.1 letting a run-length coded BMP's row (RLE8, RLE4) that codes more pixels than the
/// image is wide spill into the next row: ImageMagick codes each row padded to a multiple of four bytes (a 37-pixel
/// row as 40), and every other row came out black, the rest shifted. Windows, libpng's peers and Pillow drop the
/// pixels past the row's end; the decoder is given a copy whose overlong rows are cut to the width.
/// </summary>
internal static class BmpRunLengths
{
    private const int FileHeaderLength = 14, Rle8 = 1, Rle4 = 2;
    private const byte Escape = 0, EndOfLine = 0, EndOfBitmap = 1, Delta = 2;
    private static readonly uint[] InfoHeaderLengths = [40, 52, 56, 108, 124];

    /// <summary>The data to give the decoder: a copy with overlong rows cut to the width, or the data itself when no row is.</summary>
    public static byte[] ForDecoder(byte[] bmp)
    {
        if (bmp.Length < FileHeaderLength + 40 || !InfoHeaderLengths.Contains(BinaryPrimitives.ReadUInt32LittleEndian(bmp.AsSpan(FileHeaderLength))))
            return bmp;
        int width = BinaryPrimitives.ReadInt32LittleEndian(bmp.AsSpan(18));
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(bmp.AsSpan(28));
        uint compression = BinaryPrimitives.ReadUInt32LittleEndian(bmp.AsSpan(30));
        uint pixelOffset = BinaryPrimitives.ReadUInt32LittleEndian(bmp.AsSpan(10));
        if (!((compression, bits) is (Rle8, 8) or (Rle4, 4)) || width <= 0 || pixelOffset >= bmp.Length)
            return bmp;
        var clipped = new List<byte>(bmp.Length);
        clipped.AddRange(bmp.AsSpan(0, (int)pixelOffset));
        return ClipRows(bmp.AsSpan((int)pixelOffset), width, nibbles: compression == Rle4, clipped) ? [.. clipped] : bmp;
    }

    /// <summary>
    /// Appends the coded rows to <paramref name="output"/>, each row that ends in an end-of-line or end-of-bitmap
    /// code and codes more than <paramref name="width"/> pixels cut to it; true when some row was. A row with a
    /// delta code (a jump) is copied as it is, and so is what follows data that stops inside a code.
    /// </summary>
    private static bool ClipRows(ReadOnlySpan<byte> codes, int width, bool nibbles, List<byte> output)
    {
        bool changed = false, jumped = false;
        int copied = 0, pixels = 0, at = 0;
        while (at + 1 < codes.Length)
        {
            byte count = codes[at], value = codes[at + 1];
            if (count != Escape)
            {
                pixels += count;
                at += 2;
                continue;
            }
            if (value is EndOfLine or EndOfBitmap)
            {
                var row = codes[copied..at];
                bool overlong = !jumped && pixels > width;
                changed |= overlong;
                if (overlong)
                    Clip(row, width, nibbles, output);
                else
                    output.AddRange(row);
                output.AddRange(codes.Slice(at, 2));
                at += 2;
                (copied, pixels, jumped) = (at, 0, false);
                if (value == EndOfBitmap)
                    break;
                continue;
            }
            int length = value == Delta ? 4 : 2 + Padded(nibbles ? (value + 1) / 2 : value);
            if (at + length > codes.Length)
                break;
            jumped |= value == Delta;
            pixels += value == Delta ? 0 : value;
            at += length;
        }
        output.AddRange(codes[copied..]);
        return changed;
    }

    private static int Padded(int bytes) => bytes + (bytes & 1);

    /// <summary>Appends one row's codes (no end-of-line, no delta) keeping only its first <paramref name="width"/> pixels.</summary>
    private static void Clip(ReadOnlySpan<byte> row, int width, bool nibbles, List<byte> output)
    {
        int x = 0;
        for (int at = 0; at < row.Length && x < width;)
        {
            byte count = row[at], value = row[at + 1];
            if (count != Escape)
            {
                output.Add((byte)Math.Min(count, width - x));
                output.Add(value);
                x += count;
                at += 2;
                continue;
            }
            int kept = Math.Min(value, width - x);
            var samples = row.Slice(at + 2, nibbles ? (value + 1) / 2 : value);
            if (kept >= 3)
            {
                // A literal run: the count, the samples it keeps, padded to an even number of bytes.
                int bytes = nibbles ? (kept + 1) / 2 : kept;
                output.Add(Escape);
                output.Add((byte)kept);
                output.AddRange(samples[..bytes]);
                if ((bytes & 1) == 1)
                    output.Add(0);
            }
            else
            {
                // A literal run is three pixels at least: one or two are coded as runs of one.
                for (int i = 0; i < kept; i++)
                {
                    output.Add(1);
                    output.Add(nibbles ? (byte)((i % 2 == 0 ? samples[i / 2] >> 4 : samples[i / 2] & 0xF) << 4) : samples[i]);
                }
            }
            x += value;
            at += 2 + Padded(samples.Length);
        }
    }
}
