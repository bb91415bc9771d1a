using System.Buffers.Binary;

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
    /// The stream's position is left where it was.
    /// </summary>
    public static (int Width, int Height)? Read(Stream stream)
    {
        long start = stream.Position;
        try
        {
            Span<byte> header = stackalloc byte[8];
            stream.Position = 0;
            if (stream.Read(header) < header.Length)
                return null;
            bool little = header[0] == (byte)'I';
            if (ReadUInt16(header[2..], little) != 42)
                return null;
            long directory = ReadUInt32(header[4..], little);
            if (directory < header.Length || directory + 2 > stream.Length)
                return null;
            stream.Position = directory;
            Span<byte> countBytes = stackalloc byte[2];
            if (stream.Read(countBytes) < 2)
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
                if ((tag != ImageWidthTag && tag != ImageLengthTag) || ReadUInt32(entry[4..], little) != 1)
                    continue;
                long value = type switch { ShortType => ReadUInt16(entry[8..], little), LongType => ReadUInt32(entry[8..], little), _ => -1 };
                if (value is <= 0 or > int.MaxValue)
                    return null;
                if (tag == ImageWidthTag)
                    width = (int)value;
                else
                    height = (int)value;
            }
            return width is { } w && height is { } h ? (w, h) : null;
        }
        catch (IOException)
        {
            return null; // the full read meets it again, and names it
        }
        finally
        {
            stream.Position = start;
        }
    }

    private static ushort ReadUInt16(ReadOnlySpan<byte> bytes, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(bytes) : BinaryPrimitives.ReadUInt16BigEndian(bytes);

    private static uint ReadUInt32(ReadOnlySpan<byte> bytes, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt32BigEndian(bytes);
}
