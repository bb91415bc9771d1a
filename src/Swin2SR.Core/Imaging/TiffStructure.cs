using System.Buffers.Binary;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// Follows a TIFF file's chain of image file directories (IFDs), classic or BigTIFF, without decoding any. It counts
/// the pages (ImageSharp's identify does not, and a scanned document's later pages must not vanish unsaid), and it
/// finds a BigTIFF directory that claims more entries than the file holds: ImageSharp 2.1 reads such a count (64
/// bits) entry by entry past the end, which never ends for a 216-byte crafted file.
/// </summary>
internal static class TiffStructure
{
    /// <summary>The walk stops here: a warning needs no exact figure for a crafted file with endless IFDs.</summary>
    public const int MaxCounted = 10_000;

    private const int ClassicTiffVersion = 42, BigTiffVersion = 43;

    /// <summary>The number of pages; 0 for what is not a TIFF. A chain that loops or points past the end stops the count there.</summary>
    public static int Count(ReadOnlySpan<byte> data) => Walk(data, out _);

    /// <summary>Why a BigTIFF cannot be given to the decoder, or null.</summary>
    public static string? FindDamage(ReadOnlySpan<byte> data)
    {
        Walk(data, out string? damage);
        return damage;
    }

    private static int Walk(ReadOnlySpan<byte> data, out string? damage)
    {
        damage = null;
        if (data.Length < 8)
            return 0;
        bool littleEndian = data[..2].SequenceEqual("II"u8);
        if (!littleEndian && !data[..2].SequenceEqual("MM"u8))
            return 0;
        var layout = Read(data[2..], 2, littleEndian) switch
        {
            ClassicTiffVersion => new Layout(IsBigTiff: false, CountBytes: 2, EntryBytes: 12, OffsetBytes: 4, FirstIfdAt: 4),
            BigTiffVersion => new Layout(IsBigTiff: true, CountBytes: 8, EntryBytes: 20, OffsetBytes: 8, FirstIfdAt: 8),
            _ => (Layout?)null,
        };
        if (layout is not { } l || data.Length < l.FirstIfdAt + l.OffsetBytes)
            return 0;
        ulong offset = Read(data[l.FirstIfdAt..], l.OffsetBytes, littleEndian);
        var visited = new HashSet<ulong>();
        int pages = 0;
        while (offset >= 8 && offset <= (ulong)(data.Length - l.CountBytes) && pages < MaxCounted && visited.Add(offset))
        {
            pages++;
            ulong entries = Read(data[(int)offset..], l.CountBytes, littleEndian);
            ulong room = ((ulong)data.Length - offset - (ulong)l.CountBytes) / (ulong)l.EntryBytes;
            if (entries > room)
            {
                // ImageSharp stops a classic directory's 16-bit count at the end of the file; only a BigTIFF's runs on.
                if (l.IsBigTiff)
                    damage = $"the BigTIFF directory at byte {offset} claims {entries} entries, more than the {data.Length}-byte file holds";
                break;
            }
            ulong next = offset + (ulong)l.CountBytes + entries * (ulong)l.EntryBytes;
            if (next + (ulong)l.OffsetBytes > (ulong)data.Length)
                break;
            offset = Read(data[(int)next..], l.OffsetBytes, littleEndian);
        }
        return pages;
    }

    private readonly record struct Layout(bool IsBigTiff, int CountBytes, int EntryBytes, int OffsetBytes, int FirstIfdAt);

    private static ulong Read(ReadOnlySpan<byte> data, int bytes, bool littleEndian) => (bytes, littleEndian) switch
    {
        (2, true) => BinaryPrimitives.ReadUInt16LittleEndian(data),
        (2, false) => BinaryPrimitives.ReadUInt16BigEndian(data),
        (4, true) => BinaryPrimitives.ReadUInt32LittleEndian(data),
        (4, false) => BinaryPrimitives.ReadUInt32BigEndian(data),
        (_, true) => BinaryPrimitives.ReadUInt64LittleEndian(data),
        _ => BinaryPrimitives.ReadUInt64BigEndian(data),
    };
}
