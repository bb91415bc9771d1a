namespace Swin2SR.Core.Imaging;

/// <summary>
/// Walks a JPEG's marker segments and entropy-coded scans to its end-of-image marker. ImageSharp decodes a
/// truncated JPEG without complaint (the missing blocks come out flat grey), so a file that ends before EOI is
/// refused here instead of being upscaled and reported as a success.
/// </summary>
internal static class JpegStructure
{
    private const byte Marker = 0xFF;
    private const byte StartOfImage = 0xD8;
    private const byte EndOfImage = 0xD9;
    private const byte StartOfScan = 0xDA;

    /// <summary>Null when the markers lead to EOI; otherwise why not.</summary>
    public static string? FindDamage(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4 || data[0] != Marker || data[1] != StartOfImage)
            return "it does not start with a JPEG start-of-image marker";
        int p = 2;
        while (true)
        {
            // Stray bytes before a marker are skipped (as libjpeg does); any number of 0xFF fill bytes may precede its code.
            int next = p < data.Length ? data[p..].IndexOf(Marker) : -1;
            if (next < 0)
                return Truncated;
            p += next;
            while (p < data.Length && data[p] == Marker)
                p++;
            if (p >= data.Length)
                return Truncated;
            byte code = data[p++];
            if (code == EndOfImage)
                return null;
            if (code is >= 0xD0 and <= 0xD7 or 0x01)
                continue;
            if (p + 2 > data.Length)
                return Truncated;
            int length = data[p] << 8 | data[p + 1];
            if (length < 2)
                return $"the segment at byte {p - 2} has an impossible length {length}";
            p += length;
            if (p > data.Length)
                return Truncated;
            if (code == StartOfScan)
                p = SkipEntropyCodedData(data, p);
        }
    }

    private const byte App0 = 0xE0, App1 = 0xE1;

    /// <summary>
    /// Where the EXIF block (the TIFF structure after the "Exif\0\0" header) of the first APP1 segment that holds one
    /// lies; null when none comes before the first scan, where metadata belongs, or the segments are damaged.
    /// </summary>
    public static Range? FindExif(ReadOnlySpan<byte> data) => FindSegment(data, App1, ExifHeader);

    /// <summary>
    /// True when the file's resolution is not in its JFIF segment: it has none, or one that gives only the pixels'
    /// aspect ratio, and that square (units 0, equal densities, as libjpeg and Pillow write by default).
    /// </summary>
    public static bool JfifStatesNoResolution(ReadOnlySpan<byte> data)
    {
        if (FindSegment(data, App0, "JFIF\0"u8) is not { } jfif)
            return true;
        // After the identifier: version (2 bytes), units, X density, Y density (2 bytes each).
        var fields = data[jfif];
        return fields.Length >= 7 && fields[2] == 0 && fields.Slice(3, 2).SequenceEqual(fields.Slice(5, 2));
    }

    /// <summary>
    /// What follows <paramref name="header"/> in the first <paramref name="code"/> segment that opens with it, before
    /// the first scan; null when there is none or the segments are damaged.
    /// </summary>
    private static Range? FindSegment(ReadOnlySpan<byte> data, byte code, ReadOnlySpan<byte> header)
    {
        int p = 2;
        while (p + 4 <= data.Length && data[p] == Marker)
        {
            byte found = data[p + 1];
            if (found == Marker)
            {
                p++;
                continue;
            }
            if (found is StartOfScan or EndOfImage)
                return null;
            int length = data[p + 2] << 8 | data[p + 3];
            if (length < 2 || p + 2 + length > data.Length)
                return null;
            if (found == code && data.Slice(p + 4, length - 2).StartsWith(header))
                return new Range(p + 4 + header.Length, p + 2 + length);
            p += 2 + length;
        }
        return null;
    }

    /// <summary>What opens an EXIF block in a JPEG's APP1 segment (and, by some writers, in PNG and WebP too).</summary>
    public static ReadOnlySpan<byte> ExifHeader => "Exif\0\0"u8;

    private const string Truncated = "the JPEG data ends before its end-of-image marker (the file is truncated)";

    /// <summary>
    /// Scan data escapes 0xFF as FF 00, and restart markers FF D0-D7 sit inside it: the scan ends at the first
    /// other marker (or at the end of the file, which the caller then reports).
    /// </summary>
    private static int SkipEntropyCodedData(ReadOnlySpan<byte> data, int p)
    {
        while (true)
        {
            int next = data[p..].IndexOf(Marker);
            if (next < 0 || p + next + 1 >= data.Length)
                return data.Length;
            p += next;
            byte following = data[p + 1];
            if (following != 0x00 && following != Marker && following is not (>= 0xD0 and <= 0xD7))
                return p;
            p += following == Marker ? 1 : 2;
        }
    }
}
