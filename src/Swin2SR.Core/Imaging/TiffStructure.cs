using System.Buffers.Binary;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// Follows a TIFF file's chain of image file directories (IFDs), classic or BigTIFF, without decoding any. It counts
/// the pages (ImageSharp's identify does not, and a scanned document's later pages must not vanish unsaid), it
/// finds a BigTIFF directory that claims more entries than the file holds: ImageSharp 2.1 reads such a count (64
/// bits) entry by entry past the end, which never ends for a 216-byte crafted file, and it reads the first page's
/// small numeric tags (the layout the decoder would get wrong, the orientation identify does not report).
/// </summary>
internal static class TiffStructure
{
    /// <summary>The walk stops here: a warning needs no exact figure for a crafted file with endless IFDs.</summary>
    public const int MaxCounted = 10_000;

    private const int ClassicTiffVersion = 42, BigTiffVersion = 43;

    /// <summary>
    /// The number of pages; 0 for what is not a TIFF. A chain that loops or points past the end stops the count there.
    /// A reduced-resolution copy of a page (the thumbnail or preview a scanner or Photoshop adds after it) is no page:
    /// the warning that pages were left out was given for every such scan.
    /// </summary>
    public static int Count(ReadOnlySpan<byte> data) => Walk(data, out _, out int reduced) - reduced;

    /// <summary>Why the file cannot be given to the decoder (a BigTIFF directory without end, a file cut short), or null.</summary>
    public static string? FindDamage(ReadOnlySpan<byte> data)
    {
        Walk(data, out string? damage, out _);
        return damage ?? TiffTruncation.Find(data);
    }

    /// <summary>
    /// Where the header says the first directory starts, and whether that directory (its entries and the link after
    /// them) lies inside the file; null for what is not a TIFF.
    /// </summary>
    public static (ulong Offset, bool Whole)? FirstDirectoryClaim(ReadOnlySpan<byte> data)
    {
        if (Open(data, out bool littleEndian) is not { } l)
            return null;
        ulong offset = Read(data[l.FirstIfdAt..], l.OffsetBytes, littleEndian);
        if (!Fits(offset, l, data.Length))
            return (offset, false);
        ulong entries = Read(data[(int)offset..], l.CountBytes, littleEndian);
        return (offset, offset + (ulong)l.CountBytes + (ulong)l.EntryBytes * entries + (ulong)l.OffsetBytes <= (ulong)data.Length);
    }

    /// <summary>
    /// Every value of a SHORT, LONG or LONG8 <paramref name="tag"/> of the first page (a strip's offsets, say); null
    /// when the tag is absent or of another type. <paramref name="pastEnd"/> says that the values lie past the end of the file.
    /// </summary>
    public static ulong[]? FirstPageValues(ReadOnlySpan<byte> data, ushort tag, out bool pastEnd)
    {
        pastEnd = false;
        if (FirstPageEntry(data, tag, out var l, out bool littleEndian) is not { } at)
            return null;
        int size = (int)Read(data[(at + 2)..], 2, littleEndian) switch { ShortType => 2, LongType => 4, Long8Type => 8, _ => 0 };
        if (size == 0)
            return null;
        if (ValuesAt(data, at, l, littleEndian, size) is not { } values)
        {
            pastEnd = true;
            return null;
        }
        var read = new ulong[values.GetOffsetAndLength(data.Length).Length / size];
        for (int i = 0; i < read.Length; i++)
            read[i] = Read(data[(values.Start.Value + i * size)..], size, littleEndian);
        return read;
    }

    /// <summary>
    /// Where the values of a BYTE, ASCII or UNDEFINED <paramref name="tag"/> of the first page lie (an MPO's index of
    /// its images, say); null when the tag is absent, of another type, or its values run past the end of the data.
    /// </summary>
    public static Range? FirstPageBytes(ReadOnlySpan<byte> data, ushort tag) => PointedBytes(data, [], tag);

    /// <summary>
    /// <see cref="FirstPageBytes"/> for a tag of the directory that the first page points to through the pointer tags
    /// of <paramref name="via"/> in turn (34665 for the EXIF directory, then 40965 for its interoperability
    /// directory); null also where a pointer is missing or points outside the data.
    /// </summary>
    public static Range? PointedBytes(ReadOnlySpan<byte> data, ReadOnlySpan<ushort> via, ushort tag) =>
        FirstPageEntry(data, tag, out var l, out bool littleEndian, via) is { } at && Read(data[(at + 2)..], 2, littleEndian) is ByteType or AsciiType or UndefinedType
            ? ValuesAt(data, at, l, littleEndian, size: 1)
            : null;

    /// <summary>Where the values of the entry at <paramref name="at"/>, each <paramref name="size"/> bytes, lie; null when they run past the end.</summary>
    private static Range? ValuesAt(ReadOnlySpan<byte> data, int at, Layout l, bool littleEndian, int size)
    {
        var entry = data.Slice(at, l.EntryBytes);
        ulong count = Read(entry[4..], l.OffsetBytes, littleEndian);
        // Values that fit in the entry's value field sit there; the others lie where the field points.
        ulong start = count * (ulong)size <= (ulong)l.OffsetBytes ? (ulong)(at + 4 + l.OffsetBytes) : Read(entry[(4 + l.OffsetBytes)..], l.OffsetBytes, littleEndian);
        // Compared without adding: a BigTIFF's 64-bit offset plus the list's length can wrap past 2^64 to a small number.
        if (count > (ulong)data.Length / (ulong)size || start > (ulong)data.Length || count * (ulong)size > (ulong)data.Length - start)
            return null;
        return new Range((int)start, (int)(start + count * (ulong)size));
    }

    /// <summary>
    /// The value of a SHORT or LONG <paramref name="tag"/> of one value in the first page's directory; null when the
    /// tag is absent, holds something else, or the directory does not fit the file.
    /// </summary>
    public static uint? FirstPageValue(ReadOnlySpan<byte> data, ushort tag) =>
        FirstPageSingle(data, tag, out int type) is { } value && type is ShortType or LongType ? (uint)value : null;

    /// <summary>
    /// <see cref="FirstPageValue"/> for a tag stored as any integer type: BYTE, SHORT, LONG, their signed forms and
    /// (in a BigTIFF) LONG8. Some writers store EXIF's Orientation, a SHORT, as a LONG or an SLONG.
    /// </summary>
    public static long? FirstPageInteger(ReadOnlySpan<byte> data, ushort tag) => FirstPageSingle(data, tag, out _);

    /// <summary><see cref="FirstPageInteger"/> for a tag of a directory the first page points to (<see cref="PointedBytes"/>).</summary>
    public static long? PointedInteger(ReadOnlySpan<byte> data, ReadOnlySpan<ushort> via, ushort tag) => FirstPageSingle(data, tag, out _, via);

    private static long? FirstPageSingle(ReadOnlySpan<byte> data, ushort tag, out int type, ReadOnlySpan<ushort> via = default)
    {
        type = 0;
        return FirstPageEntry(data, tag, out var l, out bool littleEndian, via) is { } at ? SingleAt(data, at, l, littleEndian, out type) : null;
    }

    /// <summary>The value of the entry at <paramref name="at"/> when it holds one integer, of any integer type; else null.</summary>
    private static long? SingleAt(ReadOnlySpan<byte> data, int at, Layout l, bool littleEndian, out int type)
    {
        type = 0;
        var entry = data.Slice(at, l.EntryBytes);
        if (Read(entry[4..], l.OffsetBytes, littleEndian) != 1)
            return null;
        type = (int)Read(entry[2..], 2, littleEndian);
        // One value sits in the entry's value field, from its first byte, when it fits there.
        var value = entry[(4 + l.OffsetBytes)..];
        return type switch
        {
            ByteType => value[0],
            SByteType => (sbyte)value[0],
            ShortType => (long)Read(value, 2, littleEndian),
            SShortType => (short)Read(value, 2, littleEndian),
            LongType => (long)Read(value, 4, littleEndian),
            SLongType => (int)Read(value, 4, littleEndian),
            Long8Type when l.IsBigTiff => (long)Read(value, 8, littleEndian),
            _ => null,
        };
    }

    /// <summary>Whether the first page's directory has an entry for <paramref name="tag"/>, whatever its type and count.</summary>
    public static bool FirstPageHas(ReadOnlySpan<byte> data, ushort tag) => FirstPageEntry(data, tag, out _, out _) is not null;

    /// <summary>
    /// A copy of a classic TIFF whose first page has one more entry, <paramref name="tag"/> as one SHORT of
    /// <paramref name="value"/>: the directory, with the entry in its place among the others (sorted by tag), is
    /// written anew after the end of the file and the header points to it; every offset in it stays valid, as
    /// nothing before it moves. Null for a BigTIFF, or a first directory that does not fit the file.
    /// </summary>
    public static byte[]? WithFirstPageShort(ReadOnlySpan<byte> data, ushort tag, ushort value)
    {
        if (FirstDirectory(data, out var l, out bool littleEndian) is not { } offset || l.IsBigTiff)
            return null;
        int count = (int)Read(data[(int)offset..], l.CountBytes, littleEndian);
        int entriesAt = (int)offset + l.CountBytes, entriesEnd = entriesAt + count * l.EntryBytes;
        if (count == ushort.MaxValue || (long)entriesEnd + l.OffsetBytes > data.Length)
            return null;
        int before = 0;
        while (before < count && Read(data[(entriesAt + before * l.EntryBytes)..], 2, littleEndian) < tag)
            before++;
        // A directory starts on a word boundary.
        int start = data.Length + (data.Length & 1);
        var copy = new byte[start + l.CountBytes + (count + 1) * l.EntryBytes + l.OffsetBytes];
        data.CopyTo(copy);
        var directory = copy.AsSpan(start);
        Write(directory, 2, (uint)(count + 1), littleEndian);
        data[entriesAt..(entriesAt + before * l.EntryBytes)].CopyTo(directory[l.CountBytes..]);
        var entry = directory.Slice(l.CountBytes + before * l.EntryBytes, l.EntryBytes);
        Write(entry, 2, tag, littleEndian);
        Write(entry[2..], 2, ShortType, littleEndian);
        Write(entry[4..], 4, 1, littleEndian);
        Write(entry[8..], 2, value, littleEndian);
        data[(entriesAt + before * l.EntryBytes)..(entriesEnd + l.OffsetBytes)].CopyTo(directory[(l.CountBytes + (before + 1) * l.EntryBytes)..]);
        Write(copy.AsSpan(l.FirstIfdAt), 4, (uint)start, littleEndian);
        return copy;
    }

    /// <summary>
    /// Where the entry for <paramref name="tag"/> starts, in the first page's directory or in the one it points to
    /// through the pointer tags of <paramref name="via"/>; null when there is none or a directory does not fit the file.
    /// </summary>
    private static int? FirstPageEntry(ReadOnlySpan<byte> data, ushort tag, out Layout l, out bool littleEndian, ReadOnlySpan<ushort> via = default)
    {
        if (FirstDirectory(data, out l, out littleEndian) is not { } directory)
            return null;
        foreach (ushort pointer in via)
        {
            if (EntryIn(data, directory, pointer, l, littleEndian) is not { } at || PointedDirectory(data, at, l, littleEndian) is not { } next)
                return null;
            directory = next;
        }
        return EntryIn(data, directory, tag, l, littleEndian);
    }

    private static int? EntryIn(ReadOnlySpan<byte> data, ulong directory, ushort tag, Layout l, bool littleEndian)
    {
        foreach (int at in Entries(data, directory, l, littleEndian))
            if (Read(data[at..], 2, littleEndian) == tag)
                return at;
        return null;
    }

    /// <summary>Where the directory that the pointer entry at <paramref name="at"/> (one LONG or IFD; LONG8 or IFD8 in a BigTIFF) points to starts, if inside the data.</summary>
    private static ulong? PointedDirectory(ReadOnlySpan<byte> data, int at, Layout l, bool littleEndian)
    {
        var entry = data.Slice(at, l.EntryBytes);
        int size = (int)Read(entry[2..], 2, littleEndian) switch
        {
            LongType or IfdType => 4,
            Long8Type or Ifd8Type when l.IsBigTiff => 8,
            _ => 0,
        };
        if (size == 0 || Read(entry[4..], l.OffsetBytes, littleEndian) != 1)
            return null;
        ulong offset = Read(entry[(4 + l.OffsetBytes)..], size, littleEndian);
        return Fits(offset, l, data.Length) ? offset : null;
    }

    /// <summary>
    /// The tag of the first page's first entry whose values lie, in part, past the end of the file (as a file cut in its
    /// directory's out-of-line values leaves them); null when every entry's values are inside it.
    /// </summary>
    public static ushort? FirstPageTagPastEnd(ReadOnlySpan<byte> data)
    {
        foreach (int at in FirstPageEntries(data, out var l, out bool littleEndian))
        {
            var entry = data.Slice(at, l.EntryBytes);
            ulong size = ValueSize((int)Read(entry[2..], 2, littleEndian)), count = Read(entry[4..], l.OffsetBytes, littleEndian);
            // Values that fit in the entry's value field sit there; the others lie where the field points.
            if (size == 0 || count <= (ulong)l.OffsetBytes / size)
                continue;
            ulong start = Read(entry[(4 + l.OffsetBytes)..], l.OffsetBytes, littleEndian);
            if (count > (ulong)data.Length / size || start > (ulong)data.Length || count * size > (ulong)data.Length - start)
                return (ushort)Read(entry, 2, littleEndian);
        }
        return null;
    }

    /// <summary>Where each entry of the first page's directory starts, as far as the file holds them; none when the directory does not start inside it.</summary>
    private static List<int> FirstPageEntries(ReadOnlySpan<byte> data, out Layout l, out bool littleEndian) =>
        FirstDirectory(data, out l, out littleEndian) is { } offset ? Entries(data, offset, l, littleEndian) : [];

    /// <summary>Where each entry of the directory at <paramref name="offset"/> (inside the data) starts, as far as the data holds them.</summary>
    private static List<int> Entries(ReadOnlySpan<byte> data, ulong offset, Layout l, bool littleEndian)
    {
        var entries = new List<int>();
        ulong count = Math.Min(Read(data[(int)offset..], l.CountBytes, littleEndian), ((ulong)data.Length - offset - (ulong)l.CountBytes) / (ulong)l.EntryBytes);
        // An entry: tag (2 bytes), type (2), count and value (an offset's width each); a single small value sits in the value field itself.
        for (ulong i = 0; i < count; i++)
            entries.Add((int)(offset + (ulong)l.CountBytes + i * (ulong)l.EntryBytes));
        return entries;
    }

    private const int ByteType = 1, AsciiType = 2, ShortType = 3, LongType = 4, SByteType = 6, UndefinedType = 7, SShortType = 8, SLongType = 9,
        IfdType = 13, Long8Type = 16, Ifd8Type = 18;

    /// <summary>The bytes of one value of a TIFF field type (TIFF 6.0 section 2, BigTIFF's 16-18); 0 for a type unknown.</summary>
    private static ulong ValueSize(int type) => type switch
    {
        1 or 2 or 6 or 7 => 1, // BYTE, ASCII, SBYTE, UNDEFINED
        3 or 8 => 2, // SHORT, SSHORT
        4 or 9 or 11 or 13 => 4, // LONG, SLONG, FLOAT, IFD
        5 or 10 or 12 or 16 or 17 or 18 => 8, // RATIONAL, SRATIONAL, DOUBLE, LONG8, SLONG8, IFD8
        _ => 0,
    };

    /// <summary>
    /// A copy of a classic TIFF structure (as an EXIF block is) whose first directory links to no next one; null when
    /// it links to none already, or the data is not such a structure.
    /// </summary>
    public static byte[]? WithoutLaterDirectories(ReadOnlySpan<byte> data)
    {
        if (FirstDirectory(data, out var l, out bool littleEndian) is not { } offset || l.IsBigTiff)
            return null;
        ulong link = offset + (ulong)l.CountBytes + Read(data[(int)offset..], l.CountBytes, littleEndian) * (ulong)l.EntryBytes;
        if (link + (ulong)l.OffsetBytes > (ulong)data.Length || Read(data[(int)link..], l.OffsetBytes, littleEndian) == 0)
            return null;
        var copy = data.ToArray();
        copy.AsSpan((int)link, l.OffsetBytes).Clear();
        return copy;
    }

    /// <returns>The directories walked, <paramref name="reduced"/> of them reduced-resolution images.</returns>
    private static int Walk(ReadOnlySpan<byte> data, out string? damage, out int reduced)
    {
        damage = null;
        reduced = 0;
        if (FirstDirectory(data, out var l, out bool littleEndian) is not { } first)
            return 0;
        ulong offset = first;
        var visited = new HashSet<ulong>();
        int pages = 0;
        while (Fits(offset, l, data.Length) && pages < MaxCounted && visited.Add(offset))
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
            if (IsReducedImage(data, offset, l, littleEndian))
                reduced++;
            ulong next = offset + (ulong)l.CountBytes + entries * (ulong)l.EntryBytes;
            if (next + (ulong)l.OffsetBytes > (ulong)data.Length)
                break;
            offset = Read(data[(int)next..], l.OffsetBytes, littleEndian);
        }
        return pages;
    }

    /// <summary>
    /// Whether the directory at <paramref name="offset"/> is a reduced-resolution image of another (NewSubfileType's
    /// bit 0, or the SubfileType 2 that older writers use); a page of a document is not (NewSubfileType 0 or 2).
    /// </summary>
    private static bool IsReducedImage(ReadOnlySpan<byte> data, ulong offset, Layout l, bool littleEndian) =>
        (EntryIn(data, offset, NewSubfileTypeTag, l, littleEndian) is { } kind && SingleAt(data, kind, l, littleEndian, out _) is { } flags && (flags & 1) != 0)
        || (EntryIn(data, offset, SubfileTypeTag, l, littleEndian) is { } old && SingleAt(data, old, l, littleEndian, out _) == 2);

    private const ushort NewSubfileTypeTag = 254, SubfileTypeTag = 255;

    private readonly record struct Layout(bool IsBigTiff, int CountBytes, int EntryBytes, int OffsetBytes, int FirstIfdAt);

    /// <summary>Where the first directory starts, if it starts inside the file; null also for what is not a TIFF.</summary>
    private static ulong? FirstDirectory(ReadOnlySpan<byte> data, out Layout layout, out bool littleEndian)
    {
        layout = default;
        if (Open(data, out littleEndian) is not { } l)
            return null;
        layout = l;
        ulong offset = Read(data[l.FirstIfdAt..], l.OffsetBytes, littleEndian);
        return Fits(offset, l, data.Length) ? offset : null;
    }

    /// <summary>A directory's count field lies inside the file, past the header.</summary>
    private static bool Fits(ulong offset, Layout l, int length) => offset >= 8 && offset <= (ulong)(length - l.CountBytes);

    /// <summary>The layout the header announces, with its byte order; null for what is not a TIFF or is too short to hold a first offset.</summary>
    private static Layout? Open(ReadOnlySpan<byte> data, out bool littleEndian)
    {
        littleEndian = data.Length >= 8 && data[..2].SequenceEqual("II"u8);
        if (data.Length < 8 || (!littleEndian && !data[..2].SequenceEqual("MM"u8)))
            return null;
        var layout = Read(data[2..], 2, littleEndian) switch
        {
            ClassicTiffVersion => new Layout(IsBigTiff: false, CountBytes: 2, EntryBytes: 12, OffsetBytes: 4, FirstIfdAt: 4),
            BigTiffVersion => new Layout(IsBigTiff: true, CountBytes: 8, EntryBytes: 20, OffsetBytes: 8, FirstIfdAt: 8),
            _ => (Layout?)null,
        };
        return layout is { } l && data.Length >= l.FirstIfdAt + l.OffsetBytes ? l : null;
    }

    /// <summary>A value of 2 or 4 bytes in the file's byte order (TiledTiff writes its directory with it too).</summary>
    internal static void Write(Span<byte> data, int bytes, uint value, bool littleEndian)
    {
        if (bytes == 2 && littleEndian)
            BinaryPrimitives.WriteUInt16LittleEndian(data, (ushort)value);
        else if (bytes == 2)
            BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)value);
        else if (littleEndian)
            BinaryPrimitives.WriteUInt32LittleEndian(data, value);
        else
            BinaryPrimitives.WriteUInt32BigEndian(data, value);
    }

    /// <summary>A value of 2, 4 or 8 bytes in the file's byte order.</summary>
    internal static ulong Read(ReadOnlySpan<byte> data, int bytes, bool littleEndian) => (bytes, littleEndian) switch
    {
        (2, true) => BinaryPrimitives.ReadUInt16LittleEndian(data),
        (2, false) => BinaryPrimitives.ReadUInt16BigEndian(data),
        (4, true) => BinaryPrimitives.ReadUInt32LittleEndian(data),
        (4, false) => BinaryPrimitives.ReadUInt32BigEndian(data),
        (_, true) => BinaryPrimitives.ReadUInt64LittleEndian(data),
        _ => BinaryPrimitives.ReadUInt64BigEndian(data),
    };
}
