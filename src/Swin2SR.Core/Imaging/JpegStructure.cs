namespace Swin2SR.Core.Imaging;

/// <summary>
/// Walks a JPEG's marker segments and entropy-coded scans to its end-of-image marker. ImageSharp decodes a
/// truncated JPEG without complaint (the missing blocks come out flat grey), so a file that ends before EOI is
/// refused here instead of being upscaled and reported as a success; unless it ends just after its last scan's data,
/// and that data holds the whole image (<see cref="JpegScans"/>): some cameras, scanners and web exporters leave
/// the marker out, and libjpeg, Pillow and browsers read such files.
/// </summary>
internal static class JpegStructure
{
    private const byte Marker = 0xFF;
    private const byte StartOfImage = 0xD8;
    private const byte EndOfImage = 0xD9;
    private const byte StartOfScan = 0xDA;

    /// <summary>
    /// Null when the markers lead to EOI, or the file ends inside a scan's data (whether that scan is whole is
    /// <see cref="FindCut"/>'s to say, once the image's size is known to be within the limits); otherwise why not.
    /// </summary>
    public static string? FindDamage(ReadOnlySpan<byte> data)
    {
        var walk = Walk(data);
        return walk.EndsInScan ? null : walk.Damage;
    }

    /// <summary>
    /// For a file that ends inside a scan's data, without EOI: null when its scans hold the whole image, else where
    /// it is cut. Null for every other file (<see cref="FindDamage"/> judges those). Costs a Huffman decode of the scans.
    /// </summary>
    public static string? FindCut(ReadOnlySpan<byte> data)
    {
        var walk = Walk(data);
        return walk.EndsInScan ? JpegScans.FindCut(data, walk.Segments) : null;
    }

    /// <summary>True for a file that <see cref="FindDamage"/> and <see cref="FindCut"/> let through although it has no EOI.</summary>
    public static bool LacksEndMarker(ReadOnlySpan<byte> data) => Walk(data).EndsInScan;

    /// <summary>
    /// The bytes for the decoder: a file without EOI gets one. ImageSharp 2.1 reads a scan's bytes ahead of the codes
    /// it decodes, and on reaching the end of the file it stops decoding at once, so without the marker the last
    /// row of blocks, whose codes it had already read, came out grey.
    /// </summary>
    public static byte[] WithEndMarker(byte[] data) => LacksEndMarker(data) ? [.. data, Marker, EndOfImage] : data;

    public const string EndMarkerMissingWarning =
        "it has no JPEG end-of-image marker, but its image data is complete: it was read as it is (libjpeg and browsers read such files too)";

    /// <summary>What the walk found: the segments the scan decoder needs, and how the file ends.</summary>
    /// <param name="Damage">Null when the walk reached EOI.</param>
    /// <param name="EndsInScan">The file ends inside the data of its last scan, with no marker after it.</param>
    private sealed record Walked(List<JpegSegment> Segments, string? Damage, bool EndsInScan);

    private static Walked Walk(ReadOnlySpan<byte> data)
    {
        var segments = new List<JpegSegment>();
        if (data.Length < 4 || data[0] != Marker || data[1] != StartOfImage)
            return new(segments, "it does not start with a JPEG start-of-image marker", false);
        int p = 2;
        while (true)
        {
            // Stray bytes before a marker are skipped (as libjpeg does); any number of 0xFF fill bytes may precede its code.
            int next = p < data.Length ? data[p..].IndexOf(Marker) : -1;
            if (next < 0)
                return new(segments, Truncated(data.Length), false);
            p += next;
            while (p < data.Length && data[p] == Marker)
                p++;
            if (p >= data.Length)
                return new(segments, Truncated(data.Length), false);
            byte code = data[p++];
            if (code == EndOfImage)
                return new(segments, null, false);
            if (code is >= 0xD0 and <= 0xD7 or 0x01)
                continue;
            if (p + 2 > data.Length)
                return new(segments, Truncated(data.Length), false);
            int length = data[p] << 8 | data[p + 1];
            if (length < 2)
                return new(segments, $"the segment at byte {p - 2} has an impossible length {length}", false);
            int start = p + 2;
            p += length;
            if (p > data.Length)
                return new(segments, Truncated(data.Length), false);
            int end = p;
            if (code == StartOfScan)
            {
                p = SkipEntropyCodedData(data, p);
                if (p == data.Length)
                {
                    segments.Add(new JpegSegment(code, start, end, p));
                    return new(segments, Truncated(data.Length), EndsInScan: true);
                }
            }
            if (JpegScans.Needs(code))
                segments.Add(new JpegSegment(code, start, end, p));
        }
    }

    private const byte App0 = 0xE0, App1 = 0xE1, App2 = 0xE2;

    /// <summary>The MPO index (CIPA DC-007: a TIFF structure after "MPF\0" in an APP2 segment) of the images the file holds; null when it has none.</summary>
    public static Range? FindMultiPictureIndex(ReadOnlySpan<byte> data) => FindSegment(data, App2, "MPF\0"u8);

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
    private static Range? FindSegment(ReadOnlySpan<byte> data, byte code, ReadOnlySpan<byte> header) =>
        FirstSegment(data, found => found == code, header) is { } segment ? new Range(segment.Body.Start.Value + header.Length, segment.Body.End) : null;

    /// <summary>The frame header (SOFn) that comes before the first scan, where it can be read (<see cref="JpegFrame.Read"/>); else null.</summary>
    public static JpegFrame? ReadFrame(ReadOnlySpan<byte> data) =>
        FirstSegment(data, JpegScans.IsFrame, default) is { } frame ? JpegFrame.Read(frame.Code, data[frame.Body]) : null;

    /// <summary>The colour transform of the Adobe APP14 segment (0: none, RGB or CMYK; 1: YCbCr; 2: YCCK); null when the file has none.</summary>
    public static int? AdobeTransform(ReadOnlySpan<byte> data)
    {
        // After "Adobe": version, flags0, flags1 (2 bytes each), then the transform.
        const int transformAt = 6;
        return FindSegment(data, App14, "Adobe"u8) is { } adobe && data[adobe].Length > transformAt ? data[adobe][transformAt] : null;
    }

    private const byte App14 = 0xEE;

    /// <summary>The first segment before the first scan whose code is <paramref name="wanted"/> and whose body opens with <paramref name="header"/>.</summary>
    private static (byte Code, Range Body)? FirstSegment(ReadOnlySpan<byte> data, Predicate<byte> wanted, ReadOnlySpan<byte> header)
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
            if (wanted(found) && data.Slice(p + 4, length - 2).StartsWith(header))
                return (found, new Range(p + 4, p + 2 + length));
            p += 2 + length;
        }
        return null;
    }

    /// <summary>What opens an EXIF block in a JPEG's APP1 segment (and, by some writers, in PNG and WebP too).</summary>
    public static ReadOnlySpan<byte> ExifHeader => "Exif\0\0"u8;

    internal static string Truncated(int length) => $"the JPEG data ends at byte {length}, before its end-of-image marker (the file is truncated)";

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
