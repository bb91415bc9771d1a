using System.Buffers.Binary;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// ImageSharp 2.1's TIFF encoder writes every tag into the page's own directory and no EXIF or GPS directory, so a
/// TIFF output lost its input's EXIF and GPS tags without a word (a scan's DateTimeOriginal, a UserComment, an
/// ImageUniqueID, where it was taken), which a PNG or JPEG output keeps. This appends them to the written file as
/// the directories EXIF puts them in: the EXIF block ImageSharp makes of the profile (its directories moved to
/// the end of the file, their offsets shifted with them) and a copy of the page's directory with the pointers to
/// them, which the header is then pointed at (the old copy is left unused: a directory cannot grow in place).
/// </summary>
internal static class TiffExifDirectories
{
    private const ushort ExifPointer = 34665;
    private const ushort GpsPointer = 34853;
    private const ushort InteroperabilityPointer = 40965;
    private const int EntrySize = 12;

    /// <summary>
    /// Adds the EXIF and GPS directories of <paramref name="profile"/> to the TIFF in <paramref name="tiff"/>
    /// (readable, writable and seekable; little-endian classic TIFF of one page, as ImageSharp 2.1 writes it).
    /// Nothing is added when the profile holds no tag of those directories.
    /// </summary>
    public static void Append(Stream tiff, ExifProfile? profile)
    {
        if (profile is null || profile.Values.Count == 0)
            return;
        byte[] block = profile.ToByteArray();
        if (block.Length < 8 || !IsLittleEndianTiff(block))
            return;
        var pointers = PointerEntries(block);
        if (pointers.Count == 0)
            return;

        byte[] header = new byte[8];
        tiff.Position = 0;
        tiff.ReadExactly(header);
        if (!IsLittleEndianTiff(header))
            return;
        uint page = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
        var entries = PageEntries(tiff, page, out uint next);

        long blockAt = Even(tiff.Length);
        long pageAt = Even(blockAt + block.Length);
        if (pageAt + 2 + (entries.Count + pointers.Count) * EntrySize + 4 > uint.MaxValue)
            return;
        Relocate(block, ReadUInt32(block, 4), (uint)blockAt, depth: 0);
        foreach (var pointer in PointerEntries(block))
            entries[pointer.Tag] = pointer.Bytes;

        tiff.SetLength(blockAt);
        tiff.Position = blockAt;
        tiff.Write(block);
        tiff.SetLength(pageAt);
        tiff.Position = pageAt;
        tiff.Write(DirectoryBytes(entries, next));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), (uint)pageAt);
        tiff.Position = 0;
        tiff.Write(header);
        tiff.Position = tiff.Length;
    }

    private static bool IsLittleEndianTiff(ReadOnlySpan<byte> data) => data[..4].SequenceEqual("II*\0"u8);

    private static long Even(long offset) => offset + (offset & 1);

    private static uint ReadUInt32(ReadOnlySpan<byte> data, long at) => BinaryPrimitives.ReadUInt32LittleEndian(data[(int)at..]);

    private static ushort ReadUInt16(ReadOnlySpan<byte> data, long at) => BinaryPrimitives.ReadUInt16LittleEndian(data[(int)at..]);

    /// <summary>The EXIF and GPS pointer entries of the block's first directory, as they stand in it.</summary>
    private static List<(ushort Tag, byte[] Bytes)> PointerEntries(byte[] block)
    {
        var found = new List<(ushort, byte[])>();
        uint directory = ReadUInt32(block, 4);
        int count = ReadUInt16(block, directory);
        for (int i = 0; i < count; i++)
        {
            int at = (int)directory + 2 + i * EntrySize;
            ushort tag = ReadUInt16(block, at);
            if (tag is ExifPointer or GpsPointer)
                found.Add((tag, block[at..(at + EntrySize)]));
        }
        return found;
    }

    /// <summary>The page directory's entries by tag, and its link to the next directory.</summary>
    private static SortedDictionary<ushort, byte[]> PageEntries(Stream tiff, uint offset, out uint next)
    {
        byte[] countBytes = new byte[2];
        tiff.Position = offset;
        tiff.ReadExactly(countBytes);
        int count = ReadUInt16(countBytes, 0);
        byte[] directory = new byte[count * EntrySize + 4];
        tiff.ReadExactly(directory);
        var entries = new SortedDictionary<ushort, byte[]>();
        for (int i = 0; i < count; i++)
            entries[ReadUInt16(directory, i * EntrySize)] = directory[(i * EntrySize)..((i + 1) * EntrySize)];
        next = ReadUInt32(directory, count * EntrySize);
        return entries;
    }

    private static byte[] DirectoryBytes(SortedDictionary<ushort, byte[]> entries, uint next)
    {
        byte[] bytes = new byte[2 + entries.Count * EntrySize + 4];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)entries.Count);
        int at = 2;
        foreach (var entry in entries.Values)
        {
            entry.CopyTo(bytes, at);
            at += EntrySize;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), next);
        return bytes;
    }

    /// <summary>
    /// Adds <paramref name="shift"/> to every offset in the directory at <paramref name="directory"/> and in the
    /// directories it points to: the values stored outside their entries, and the pointers themselves.
    /// </summary>
    private static void Relocate(byte[] block, uint directory, uint shift, int depth)
    {
        // The block is ImageSharp's own: three levels at most (page, EXIF, interoperability).
        if (depth > 3 || directory + 2 > block.Length)
            return;
        int count = ReadUInt16(block, directory);
        if (directory + 2 + count * EntrySize > block.Length)
            return;
        for (int i = 0; i < count; i++)
        {
            int at = (int)directory + 2 + i * EntrySize;
            ushort tag = ReadUInt16(block, at);
            long size = TypeSize(ReadUInt16(block, at + 2)) * (long)ReadUInt32(block, at + 4);
            uint value = ReadUInt32(block, at + 8);
            if (tag is ExifPointer or GpsPointer or InteroperabilityPointer)
                Relocate(block, value, shift, depth + 1);
            else if (size <= 4)
                continue;
            BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(at + 8), value + shift);
        }
        SortEntries(block.AsSpan((int)directory + 2, count * EntrySize));
    }

    /// <summary>
    /// Puts a directory's entries in ascending order of tag, as TIFF requires: ImageSharp writes them in the
    /// profile's order, and libtiff then warns that the directory is invalid. Each entry's offset is absolute, so
    /// entries move without their values.
    /// </summary>
    private static void SortEntries(Span<byte> entries)
    {
        var sorted = new byte[entries.Length / EntrySize][];
        for (int i = 0; i < sorted.Length; i++)
            sorted[i] = entries.Slice(i * EntrySize, EntrySize).ToArray();
        Array.Sort(sorted, (a, b) => ReadUInt16(a, 0).CompareTo(ReadUInt16(b, 0)));
        for (int i = 0; i < sorted.Length; i++)
            sorted[i].CopyTo(entries[(i * EntrySize)..]);
    }

    /// <summary>Bytes per value of a TIFF field type; 0 for an unknown type (its value is not moved).</summary>
    internal static int TypeSize(ushort type) => type switch
    {
        1 or 2 or 6 or 7 => 1,
        3 or 8 => 2,
        4 or 9 or 11 or 13 => 4,
        5 or 10 or 12 => 8,
        _ => 0,
    };
}
