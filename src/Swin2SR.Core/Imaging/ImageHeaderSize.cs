using System.Buffers.Binary;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// The size a file's header states, read from the open file before the rest of it is, for the size limits: a 1.4 GB
/// PNG whose header says 40000x40000 was read whole (1.4 GB of memory, seconds on a share) to be refused. Each
/// format's size is read where ImageSharp 2.1 reads it (a GIF's logical screen, a BMP's height without its sign, a
/// WebP's bitstream), only from the first <see cref="MaxHeaderOffset"/> bytes, in a few small reads; anything
/// unusual gives null, and the whole file is then read and checked as before, its errors unchanged.
/// </summary>
internal static class ImageHeaderSize
{
    /// <summary>How far into a file a header is looked for: a JPEG's frame header may follow 64 KiB EXIF and ICC segments.</summary>
    public const long MaxHeaderOffset = 1 << 20;

    /// <summary>More JPEG segments before the frame header (or WebP chunks before the image's) than a camera or an editor writes: the walk stops there.</summary>
    private const int MaxSegments = 64;

    /// <summary>
    /// Width and height as the header of <paramref name="formatName"/> (ImageSharp's name for it) states them, or
    /// null where they cannot be told this way. The stream's position is left where it was.
    /// </summary>
    public static (int Width, int Height)? Read(Stream stream, string formatName)
    {
        long start = stream.Position;
        try
        {
            return formatName switch
            {
                "PNG" => Png(stream),
                "JPEG" => Jpeg(stream),
                "GIF" => Gif(stream),
                "BMP" => Bmp(stream),
                "Webp" => Webp(stream),
                "TIFF" => TiffHeaderSize.Read(stream),
                _ => null,
            };
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

    /// <summary>IHDR, the first chunk: its width and height, big-endian.</summary>
    private static (int, int)? Png(Stream stream)
    {
        Span<byte> header = stackalloc byte[24];
        if (!ReadAt(stream, 0, header) || BinaryPrimitives.ReadUInt32BigEndian(header[8..]) != 13 || !header[12..16].SequenceEqual("IHDR"u8))
            return null;
        return Positive(BinaryPrimitives.ReadInt32BigEndian(header[16..]), BinaryPrimitives.ReadInt32BigEndian(header[20..]));
    }

    /// <summary>The logical screen, which ImageSharp decodes the first frame onto (<see cref="GifCanvas"/>).</summary>
    private static (int, int)? Gif(Stream stream)
    {
        Span<byte> header = stackalloc byte[10];
        if (!ReadAt(stream, 0, header))
            return null;
        return Positive(BinaryPrimitives.ReadUInt16LittleEndian(header[6..]), BinaryPrimitives.ReadUInt16LittleEndian(header[8..]));
    }

    /// <summary>
    /// The info header after the 14-byte file header: 16-bit sizes in an OS/2 1.x (12-byte) header, 32-bit in the
    /// Windows ones, where a negative height is a top-down image of that many rows.
    /// </summary>
    private static (int, int)? Bmp(Stream stream)
    {
        Span<byte> header = stackalloc byte[26];
        if (!ReadAt(stream, 0, header) || !header[..2].SequenceEqual("BM"u8))
            return null;
        int infoSize = BinaryPrimitives.ReadInt32LittleEndian(header[14..]);
        if (infoSize == 12)
            return Positive(BinaryPrimitives.ReadInt16LittleEndian(header[18..]), BinaryPrimitives.ReadInt16LittleEndian(header[20..]));
        if (infoSize is not (40 or 52 or 56 or 108 or 124))
            return null; // the rare OS/2 2.x headers too
        int height = BinaryPrimitives.ReadInt32LittleEndian(header[22..]);
        return height == int.MinValue ? null : Positive(BinaryPrimitives.ReadInt32LittleEndian(header[18..]), Math.Abs(height));
    }

    /// <summary>
    /// The bitstream's own size (VP8 or VP8L), as ImageSharp reads it; in an extended file (VP8X) only where it is
    /// the canvas's too, and not for an animation, which is refused for that.
    /// </summary>
    private static (int, int)? Webp(Stream stream)
    {
        Span<byte> chunk = stackalloc byte[30];
        if (!ReadAt(stream, 0, chunk) || !chunk[..4].SequenceEqual("RIFF"u8) || !chunk[8..12].SequenceEqual("WEBP"u8))
            return null;
        if (!chunk[12..16].SequenceEqual("VP8X"u8))
            return Bitstream(chunk[12..]);
        const byte Animated = 0x02;
        if ((chunk[20] & Animated) != 0)
            return null;
        var canvas = (ReadUInt24(chunk[24..]) + 1, ReadUInt24(chunk[27..]) + 1);
        // ICCP, ALPH and the like before the image's chunk, each skipped by its stated size.
        long offset = 20 + BinaryPrimitives.ReadUInt32LittleEndian(chunk[16..]);
        for (int i = 0; i < MaxSegments; i++)
        {
            offset += offset & 1; // chunks are padded to an even size
            if (offset > MaxHeaderOffset || !ReadAt(stream, offset, chunk[..18]))
                return null;
            if (chunk[..4].SequenceEqual("VP8 "u8) || chunk[..4].SequenceEqual("VP8L"u8))
                return Bitstream(chunk[..18]) is { } image && image == canvas ? image : null;
            offset += 8 + BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
        }
        return null;
    }

    /// <summary>A VP8 key frame's 14-bit sizes after its start code, or a VP8L header's 14-bit sizes less one.</summary>
    /// <param name="chunk">The chunk from its FourCC, at least 18 bytes.</param>
    private static (int, int)? Bitstream(ReadOnlySpan<byte> chunk)
    {
        var data = chunk[8..];
        if (chunk[..4].SequenceEqual("VP8 "u8))
        {
            bool keyFrame = (data[0] & 1) == 0;
            if (!keyFrame || data[3] != 0x9d || data[4] != 0x01 || data[5] != 0x2a)
                return null;
            return Positive(BinaryPrimitives.ReadUInt16LittleEndian(data[6..]) & 0x3fff, BinaryPrimitives.ReadUInt16LittleEndian(data[8..]) & 0x3fff);
        }
        if (chunk[..4].SequenceEqual("VP8L"u8) && data[0] == 0x2f)
        {
            uint bits = BinaryPrimitives.ReadUInt32LittleEndian(data[1..]);
            return ((int)(bits & 0x3fff) + 1, (int)((bits >> 14) & 0x3fff) + 1);
        }
        return null;
    }

    /// <summary>
    /// The first frame header (baseline, extended or progressive: the kinds ImageSharp 2.1 decodes), found by
    /// stepping over the segments before it by their lengths; any other marker before it ends the walk.
    /// </summary>
    private static (int, int)? Jpeg(Stream stream)
    {
        Span<byte> marker = stackalloc byte[9];
        long offset = 2;
        for (int i = 0; i < MaxSegments && offset <= MaxHeaderOffset; i++)
        {
            if (!ReadAt(stream, offset, marker[..4]) || marker[0] != 0xFF)
                return null;
            byte code = marker[1];
            int length = BinaryPrimitives.ReadUInt16BigEndian(marker[2..]);
            if (code is 0xC0 or 0xC1 or 0xC2)
            {
                if (!ReadAt(stream, offset + 4, marker[..5]))
                    return null;
                return Positive(BinaryPrimitives.ReadUInt16BigEndian(marker[3..]), BinaryPrimitives.ReadUInt16BigEndian(marker[1..]));
            }
            bool skipped = code is (>= 0xE0 and <= 0xEF) or 0xFE or 0xDB or 0xC4 or 0xDD;
            if (!skipped || length < 2)
                return null;
            offset += 2 + length;
        }
        return null;
    }

    private static (int, int)? Positive(int width, int height) => width > 0 && height > 0 ? (width, height) : null;

    private static int ReadUInt24(ReadOnlySpan<byte> bytes) => bytes[0] | bytes[1] << 8 | bytes[2] << 16;

    /// <summary>Reads <paramref name="buffer"/> whole from <paramref name="offset"/>; false where the file ends before.</summary>
    internal static bool ReadAt(Stream stream, long offset, Span<byte> buffer)
    {
        if (offset + buffer.Length > stream.Length)
            return false;
        stream.Position = offset;
        stream.ReadExactly(buffer);
        return true;
    }
}
