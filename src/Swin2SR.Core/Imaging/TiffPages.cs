using System.Buffers.Binary;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// Counts the pages of a TIFF file by following its chain of image file directories (IFDs), without decoding
/// any: ImageSharp's identify does not count them, and a scanned document's later pages must not vanish unsaid.
/// </summary>
internal static class TiffPages
{
    /// <summary>Counting stops here: a warning needs no exact figure for a crafted file with endless IFDs.</summary>
    public const int MaxCounted = 10_000;

    private const int ClassicTiffVersion = 42;
    private const int EntryLength = 12;

    /// <summary>
    /// The number of pages; 0 for what is not a classic TIFF, 1 for a BigTIFF (not walked). A chain that loops or
    /// points past the end stops the count there.
    /// </summary>
    public static int Count(ReadOnlySpan<byte> data)
    {
        if (data.Length < 8)
            return 0;
        bool littleEndian = data[..2].SequenceEqual("II"u8);
        if (!littleEndian && !data[..2].SequenceEqual("MM"u8))
            return 0;
        if (ReadUInt16(data[2..], littleEndian) != ClassicTiffVersion)
            return 1;
        long offset = ReadUInt32(data[4..], littleEndian);
        var visited = new HashSet<long>();
        int pages = 0;
        while (offset >= 8 && offset + 2 <= data.Length && pages < MaxCounted && visited.Add(offset))
        {
            pages++;
            long next = offset + 2 + (long)EntryLength * ReadUInt16(data[(int)offset..], littleEndian);
            if (next + 4 > data.Length)
                break;
            offset = ReadUInt32(data[(int)next..], littleEndian);
        }
        return pages;
    }

    private static ushort ReadUInt16(ReadOnlySpan<byte> data, bool littleEndian) =>
        littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(data) : BinaryPrimitives.ReadUInt16BigEndian(data);

    private static uint ReadUInt32(ReadOnlySpan<byte> data, bool littleEndian) =>
        littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(data) : BinaryPrimitives.ReadUInt32BigEndian(data);
}
