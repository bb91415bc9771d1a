using System.Buffers.Binary;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// Checks a BMP's headers against its length before ImageSharp sees it: ImageSharp 2.1 sizes the colour table by
/// the distance from the headers to the pixel data the file header claims, so a mutated offset of 2 GB made it
/// allocate 2 GB for a 1 KB file (docs/fuzzing.md). The file-size field is not checked: writers often leave it 0.
/// The rows of an uncompressed BMP are checked too (<see cref="FindTruncation"/>): ImageSharp fills the rows missing from a file cut short.
/// </summary>
internal static class BmpStructure
{
    private const int FileHeaderLength = 14;

    /// <summary>Null when the headers, the colour table and the start of the pixel data lie within the file; otherwise why not.</summary>
    public static string? FindDamage(ReadOnlySpan<byte> data)
    {
        if (data.Length < FileHeaderLength + 4)
            return "the file is shorter than a BMP's headers (the file is truncated)";
        uint pixelOffset = BinaryPrimitives.ReadUInt32LittleEndian(data[10..]);
        uint infoLength = BinaryPrimitives.ReadUInt32LittleEndian(data[FileHeaderLength..]);
        if (FileHeaderLength + (long)infoLength > data.Length)
            return $"its header claims {infoLength} bytes, more than the file holds (the file is truncated or damaged)";
        if (pixelOffset >= data.Length)
            return $"its pixel data is said to start at byte {pixelOffset}, past the end of the {data.Length}-byte file";
        if (pixelOffset < FileHeaderLength + infoLength)
            return $"its pixel data is said to start at byte {pixelOffset}, inside its own headers";
        return null;
    }

    /// <summary>
    /// Null when an uncompressed BMP holds all its rows (or the BMP is compressed: its length cannot be known);
    /// otherwise why not. Only for a file <see cref="FindDamage"/> passed, and whose size is within the limits.
    /// </summary>
    public static string? FindTruncation(ReadOnlySpan<byte> data)
    {
        uint pixelOffset = BinaryPrimitives.ReadUInt32LittleEndian(data[10..]);
        uint infoLength = BinaryPrimitives.ReadUInt32LittleEndian(data[FileHeaderLength..]);
        if (UncompressedRowsLength(data, infoLength) is { } needed && pixelOffset + needed > data.Length)
            return $"its rows need {needed} bytes from byte {pixelOffset}, but the file ends at byte {data.Length} (the file is truncated)";
        return null;
    }

    // BITMAPCOREHEADER, then BITMAPINFOHEADER and its V2 to V5 extensions; OS/2's 16- and 64-byte headers number their compressions otherwise.
    private const int CoreHeaderLength = 12;
    private static readonly uint[] InfoHeaderLengths = [40, 52, 56, 108, 124];

    /// <summary>
    /// How many bytes an uncompressed BMP's rows take, the last row without the padding some writers leave out; null
    /// for a compressed (RLE, JPEG, PNG) or unusual one, whose length cannot be known from the header.
    /// </summary>
    private static long? UncompressedRowsLength(ReadOnlySpan<byte> data, uint infoLength)
    {
        long width, height;
        int bitsPerPixel;
        if (infoLength == CoreHeaderLength)
        {
            (width, height, bitsPerPixel) = (BinaryPrimitives.ReadUInt16LittleEndian(data[18..]), BinaryPrimitives.ReadUInt16LittleEndian(data[20..]), BinaryPrimitives.ReadUInt16LittleEndian(data[24..]));
        }
        else if (InfoHeaderLengths.Contains(infoLength))
        {
            // 0: RGB, 3: bit fields, 6: alpha bit fields; the others are compressed.
            if (BinaryPrimitives.ReadUInt32LittleEndian(data[30..]) is not (0 or 3 or 6))
                return null;
            (width, height, bitsPerPixel) = (BinaryPrimitives.ReadInt32LittleEndian(data[18..]), Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(data[22..])), BinaryPrimitives.ReadUInt16LittleEndian(data[28..]));
        }
        else
        {
            return null;
        }
        if (width <= 0 || height <= 0 || bitsPerPixel is not (1 or 2 or 4 or 8 or 16 or 24 or 32))
            return null;
        long stride = (width * bitsPerPixel + 31) / 32 * 4;
        return stride * (height - 1) + (width * bitsPerPixel + 7) / 8;
    }
}
