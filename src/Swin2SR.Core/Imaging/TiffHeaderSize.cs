namespace Swin2SR.Core.Imaging;

/// <summary>
/// The size a TIFF's first page states, read from the open file before the rest of it is: a scan's directory often
/// comes after its pixels (where libtiff writes it), so telling its size from the bytes read would mean reading the
/// whole file first, 1.5 GB and 5 seconds for an uncompressed 25000x20000 scan that the size limit then refuses.
/// </summary>
internal static class TiffHeaderSize
{
    private const ushort ImageWidthTag = 256, ImageLengthTag = 257;
    private const ushort ShortType = 3, LongType = 4;
    private const int EntryBytes = 12;

    /// <summary>More entries than any first page has: a count beyond it is damage, left to the full read to name.</summary>
    private const int MaxEntries = 4096;

    /// <summary>
    /// Width and height of a classic TIFF's first page, or null when they cannot be told this way (BigTIFF, a
    /// directory outside the file, a tag missing): the whole file is then read and checked as any other.
    /// Called by <see cref="ImageHeaderSize.Read"/>, which puts the stream's position back and takes its read errors.
    /// </summary>
    public static (int Width, int Height)? Read(Stream stream)
    {
        Span<byte> header = stackalloc byte[8];
        if (!ImageHeaderSize.ReadAt(stream, 0, header))
            return null;
        bool little = header[0] == (byte)'I';
        if (ReadUInt16(header[2..], little) != 42)
            return null;
        long directory = (long)TiffStructure.Read(header[4..], 4, little);
        Span<byte> countBytes = stackalloc byte[2];
        if (directory < header.Length || !ImageHeaderSize.ReadAt(stream, directory, countBytes))
            return null;
        int count = ReadUInt16(countBytes, little);
        if (count == 0 || count > MaxEntries || directory + 2 + (long)count * EntryBytes > stream.Length)
            return null;
        var entries = new byte[count * EntryBytes];
        stream.ReadExactly(entries);
        int? width = null, height = null;
        for (int i = 0; i < count; i++)
        {
            var entry = entries.AsSpan(i * EntryBytes, EntryBytes);
            ushort tag = ReadUInt16(entry, little), type = ReadUInt16(entry[2..], little);
            if ((tag != ImageWidthTag && tag != ImageLengthTag) || TiffStructure.Read(entry[4..], 4, little) != 1)
                continue;
            long value = type switch { ShortType => ReadUInt16(entry[8..], little), LongType => (long)TiffStructure.Read(entry[8..], 4, little), _ => -1 };
            if (value is <= 0 or > int.MaxValue)
                return null;
            if (tag == ImageWidthTag)
                width = (int)value;
            else
                height = (int)value;
        }
        return width is { } w && height is { } h ? (w, h) : null;
    }

    private static ushort ReadUInt16(ReadOnlySpan<byte> bytes, bool little) => (ushort)TiffStructure.Read(bytes, 2, little);
}
