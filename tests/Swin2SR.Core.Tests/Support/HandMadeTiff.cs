using System.Buffers.Binary;
using System.IO.Compression;
using SixLabors.ImageSharp.PixelFormats;

namespace Swin2SR.Core.Tests.Support;

/// <summary>
/// Writes small RGB TIFFs in the layouts ImageSharp 2.1 cannot write: 16 bits per sample, 16- and 32-bit
/// floating-point samples, colour channels in
/// separate planes (PlanarConfiguration 2), a horizontal-differencing predictor, either byte order, and extra
/// one-value tags such as Orientation. Each plane (or the whole contiguous image) is one Deflate-compressed strip.
/// </summary>
internal static class HandMadeTiff
{
    public const ushort OrientationTag = 274, PhotometricTag = 262, BitsPerSampleTag = 258, StripByteCountsTag = 279, SampleFormatTag = 339, ExtraSamplesTag = 338;

    /// <summary>
    /// A copy of a little-endian classic TIFF whose first page's one-value SHORT <paramref name="tag"/> is set to
    /// <paramref name="value"/>: how a layout the encoder will not write (a fax page in BlackIsZero) is made.
    /// </summary>
    public static byte[] WithFirstPageValue(byte[] tiff, ushort tag, ushort value)
    {
        var copy = tiff.ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(FirstPageEntry(copy, tag) + 8), value);
        return copy;
    }

    /// <summary>
    /// A copy of a little-endian classic TIFF whose first page's one-value <paramref name="tag"/> is stored as
    /// <paramref name="type"/> instead (BYTE, SHORT, LONG or a signed one): little-endian, a small value's bytes at
    /// the start of the field read the same in each width, so only the type changes.
    /// </summary>
    public static byte[] WithFirstPageType(byte[] tiff, ushort tag, ushort type)
    {
        var copy = tiff.ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(FirstPageEntry(copy, tag) + 2), type);
        return copy;
    }

    /// <summary>
    /// A copy of a little-endian classic TIFF whose first page lacks <paramref name="tag"/>, as writers leave out a
    /// tag whose value is the specification's default (Pillow's bilevel TIFF has no BitsPerSample).
    /// </summary>
    public static byte[] WithoutFirstPageTag(byte[] tiff, ushort tag)
    {
        var copy = tiff.ToArray();
        int ifd = (int)BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(4));
        int entries = BinaryPrimitives.ReadUInt16LittleEndian(copy.AsSpan(ifd));
        int entry = FirstPageEntry(copy, tag), end = ifd + 2 + entries * 12 + 4;
        // The later entries and the link to the next directory move up over the one removed.
        copy.AsSpan(entry + 12, end - entry - 12).CopyTo(copy.AsSpan(entry));
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(ifd), (ushort)(entries - 1));
        return copy;
    }

    /// <summary>
    /// A copy of a little-endian classic TIFF whose first page's <paramref name="tag"/> (a one-value SHORT placed as a
    /// stand-in) is a LONG pointing to directories appended to the file (an EXIF directory, say), as
    /// <paramref name="directories"/> writes them for the offset they start at.
    /// </summary>
    public static byte[] WithDirectoryPointer(byte[] tiff, ushort tag, Func<int, byte[]> directories)
    {
        // A directory starts on a word boundary.
        var copy = new byte[tiff.Length + (tiff.Length & 1)];
        tiff.CopyTo(copy, 0);
        int entry = FirstPageEntry(copy, tag);
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(entry + 2), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(entry + 8), (uint)copy.Length);
        return [.. copy, .. directories(copy.Length)];
    }

    private static int FirstPageEntry(byte[] tiff, ushort tag)
    {
        int ifd = (int)BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan(4));
        int entries = BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(ifd));
        for (int i = 0; i < entries; i++)
            if (BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(ifd + 2 + i * 12)) == tag)
                return ifd + 2 + i * 12;
        throw new ArgumentException($"the TIFF has no tag {tag}");
    }

    public static byte[] Rgb(int width, int height, Func<int, int, Rgb24> pixel, bool planar, int predictor = 1, bool bigEndian = false,
        params (ushort Tag, ushort Value)[] extraTags) =>
        Build(width, height, 8, (x, y) => { var p = pixel(x, y); return [p.R, p.G, p.B]; }, planar, predictor, bigEndian, extraTags);

    /// <summary>
    /// 8-bit RGBA, contiguous, no predictor, its alpha as <paramref name="extraSamples"/> says: 2 unassociated (as
    /// Photoshop saves a cut-out), 1 associated (the colour already multiplied by it, premultiplied).
    /// </summary>
    public static byte[] Rgba(int width, int height, Func<int, int, Rgba32> pixel, ushort extraSamples) =>
        Build(width, height, 8, (x, y) => { var p = pixel(x, y); return [p.R, p.G, p.B, p.A]; }, planar: false, predictor: 1, bigEndian: false, [(ExtraSamplesTag, extraSamples)]);

    /// <summary>
    /// Gray and alpha (BlackIsZero, two samples, the second's kind as <paramref name="extraSamples"/> says: 2
    /// unassociated, 1 associated), <paramref name="bits"/> 8 or 16 deep: a cut-out or mask as GIMP and libvips save it.
    /// </summary>
    public static byte[] GrayAlpha(int width, int height, int bits, Func<int, int, (ushort Gray, ushort Alpha)> pixel, ushort extraSamples, int predictor = 1, int tile = 0) =>
        WithFirstPageValue(Build(width, height, bits, (x, y) => { var p = pixel(x, y); return [p.Gray, p.Alpha]; }, planar: false, predictor, bigEndian: false, [(ExtraSamplesTag, extraSamples)], tile),
            PhotometricTag, 1);

    /// <summary>16 bits per sample, contiguous, no predictor.</summary>
    public static byte[] Rgb48(int width, int height, Func<int, int, Rgb48> pixel, bool bigEndian = false) =>
        Build(width, height, 16, (x, y) => { var p = pixel(x, y); return [p.R, p.G, p.B]; }, planar: false, predictor: 1, bigEndian, []);

    /// <summary>32-bit IEEE floating-point samples (SampleFormat 3), 0 to 1 for black to white, contiguous.</summary>
    public static byte[] RgbFloat(int width, int height, Func<int, int, (float R, float G, float B)> pixel) =>
        Build(width, height, 32, (x, y) => { var p = pixel(x, y); return [BitConverter.SingleToUInt32Bits(p.R), BitConverter.SingleToUInt32Bits(p.G), BitConverter.SingleToUInt32Bits(p.B)]; },
            planar: false, predictor: 1, bigEndian: false, [(SampleFormatTag, 3)]);

    /// <summary>32-bit unsigned integer samples (no SampleFormat: 1, unsigned, by default), the same level in each channel, contiguous.</summary>
    public static byte[] Rgb32(int width, int height, Func<int, int, uint> level) =>
        Build(width, height, 32, (x, y) => [level(x, y), level(x, y), level(x, y)], planar: false, predictor: 1, bigEndian: false, []);

    /// <summary>16-bit IEEE floating-point (half) samples (SampleFormat 3), 0 to 1 for black to white, contiguous: as GIMP and Krita export them.</summary>
    public static byte[] RgbHalf(int width, int height, Func<int, int, (float R, float G, float B)> pixel) =>
        Build(width, height, 16, (x, y) => { var p = pixel(x, y); return [BitConverter.HalfToUInt16Bits((Half)p.R), BitConverter.HalfToUInt16Bits((Half)p.G), BitConverter.HalfToUInt16Bits((Half)p.B)]; },
            planar: false, predictor: 1, bigEndian: false, [(SampleFormatTag, 3)]);

    /// <summary>16 bits per sample, contiguous, in Deflate-compressed <paramref name="tile"/> x <paramref name="tile"/> tiles (those at the right and bottom edges padded with zeros).</summary>
    public static byte[] Rgb48Tiled(int width, int height, int tile, Func<int, int, Rgb48> pixel, int predictor = 1, bool bigEndian = false) =>
        Build(width, height, 16, (x, y) => { var p = pixel(x, y); return [p.R, p.G, p.B]; }, planar: false, predictor, bigEndian, [], tile);

    /// <summary>8-bit CMYK (PhotometricInterpretation 5, Separated), as print workflows save it, in strips or, with <paramref name="tile"/>, in tiles.</summary>
    public static byte[] Cmyk(int width, int height, Func<int, int, uint[]> pixel, int tile = 0) =>
        WithFirstPageValue(Build(width, height, 8, pixel, planar: false, predictor: 1, bigEndian: false, [], tile), PhotometricTag, 5);

    /// <param name="pixel">A pixel's three samples (four with alpha), as the file stores their bits.</param>
    /// <param name="tile">The side of the square tiles the page is stored in; 0 for strips (one per plane).</param>
    private static byte[] Build(int width, int height, int bits, Func<int, int, uint[]> pixel, bool planar, int predictor, bool bigEndian,
        (ushort Tag, ushort Value)[] extraTags, int tile = 0)
    {
        int samplesPerPixel = pixel(0, 0).Length;
        var strips = tile > 0
            ? (from ty in Enumerable.Range(0, (height + tile - 1) / tile)
               from tx in Enumerable.Range(0, (width + tile - 1) / tile)
               select Deflate(Samples(tile, tile, bits, (x, y) => tx * tile + x < width && ty * tile + y < height ? pixel(tx * tile + x, ty * tile + y) : new uint[samplesPerPixel], -1, predictor == 2, bigEndian))).ToArray()
            : (planar ? [0, 1, 2] : new[] { -1 }).Select(channel => Deflate(Samples(width, height, bits, pixel, channel, predictor == 2, bigEndian))).ToArray();
        var file = new List<byte>(bigEndian ? "MM"u8.ToArray() : "II"u8.ToArray());
        file.AddRange(Short(42, bigEndian));
        file.AddRange(new byte[4]);
        var stripOffsets = new List<uint>();
        foreach (var strip in strips)
        {
            stripOffsets.Add((uint)file.Count);
            file.AddRange(strip);
        }
        Align(file);
        uint bitsPerSampleAt = (uint)file.Count;
        for (int i = 0; i < samplesPerPixel; i++)
            file.AddRange(Short(bits, bigEndian));
        Align(file);
        uint offsetsAt = (uint)file.Count;
        foreach (uint offset in stripOffsets)
            file.AddRange(Long(offset, bigEndian));
        uint countsAt = (uint)file.Count;
        foreach (var strip in strips)
            file.AddRange(Long((uint)strip.Length, bigEndian));
        bool oneStrip = strips.Length == 1;
        var entries = new List<(ushort Tag, ushort Type, uint Count, byte[] Value)>
        {
            (256, 3, 1, ShortValue(width, bigEndian)),
            (257, 3, 1, ShortValue(height, bigEndian)),
            // Two SHORTs fit the value field, where TIFF requires them; three or four lie where it points.
            (258, 3, (uint)samplesPerPixel, samplesPerPixel <= 2 ? [.. Enumerable.Repeat(Short(bits, bigEndian), 2).SelectMany(b => b)] : Long(bitsPerSampleAt, bigEndian)),
            (259, 3, 1, ShortValue(8, bigEndian)), // Deflate
            (262, 3, 1, ShortValue(2, bigEndian)), // RGB
            (273, 4, (uint)strips.Length, oneStrip ? Long(stripOffsets[0], bigEndian) : Long(offsetsAt, bigEndian)),
            (277, 3, 1, ShortValue(samplesPerPixel, bigEndian)),
            (278, 3, 1, ShortValue(height, bigEndian)),
            (279, 4, (uint)strips.Length, oneStrip ? Long((uint)strips[0].Length, bigEndian) : Long(countsAt, bigEndian)),
            (284, 3, 1, ShortValue(planar ? 2 : 1, bigEndian)),
            (317, 3, 1, ShortValue(predictor, bigEndian)),
        };
        entries.AddRange(extraTags.Select(t => (t.Tag, (ushort)3, 1u, ShortValue(t.Value, bigEndian))));
        if (tile > 0)
        {
            // The same offsets and counts, as a tiled page's TileOffsets and TileByteCounts; its tiles' size for RowsPerStrip.
            entries = [.. entries.Where(e => e.Tag != 278).Select(e => e.Tag switch { 273 => ((ushort)324, e.Type, e.Count, e.Value), 279 => ((ushort)325, e.Type, e.Count, e.Value), _ => e })];
            entries.Add((322, 3, 1, ShortValue(tile, bigEndian)));
            entries.Add((323, 3, 1, ShortValue(tile, bigEndian)));
        }
        Align(file);
        byte[] firstIfd = Long((uint)file.Count, bigEndian);
        firstIfd.CopyTo(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(file)[4..]);
        file.AddRange(Short(entries.Count, bigEndian));
        foreach (var (tag, type, count, value) in entries.OrderBy(e => e.Tag))
        {
            file.AddRange(Short(tag, bigEndian));
            file.AddRange(Short(type, bigEndian));
            file.AddRange(Long(count, bigEndian));
            file.AddRange(value);
        }
        file.AddRange(new byte[4]);
        return [.. file];
    }

    /// <summary>
    /// One channel's rows (or, for <paramref name="channel"/> -1, whole pixels) in the file's byte order, each
    /// sample stored as the difference from the one before it (modulo its range) when <paramref name="differenced"/>.
    /// </summary>
    private static byte[] Samples(int width, int height, int bits, Func<int, int, uint[]> pixel, int channel, bool differenced, bool bigEndian)
    {
        int perPixel = channel < 0 ? pixel(0, 0).Length : 1;
        uint mask = (uint)((1L << bits) - 1);
        var samples = new uint[width * height * perPixel];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                var p = pixel(x, y);
                for (int c = 0; c < perPixel; c++)
                    samples[(y * width + x) * perPixel + c] = p[channel < 0 ? c : channel];
            }
        if (differenced)
            for (int y = 0; y < height; y++)
                for (int i = width * perPixel - 1; i >= perPixel; i--)
                    samples[y * width * perPixel + i] = (samples[y * width * perPixel + i] - samples[y * width * perPixel + i - perPixel]) & mask;
        return bits switch
        {
            8 => [.. samples.Select(v => (byte)v)],
            16 => [.. samples.SelectMany(v => Short((int)v, bigEndian))],
            _ => [.. samples.SelectMany(v => Long(v, bigEndian))],
        };
    }

    private static byte[] Deflate(byte[] data)
    {
        var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
            z.Write(data);
        return output.ToArray();
    }

    private static void Align(List<byte> file)
    {
        if (file.Count % 2 == 1)
            file.Add(0);
    }

    private static byte[] Short(int value, bool bigEndian)
    {
        var bytes = new byte[2];
        if (bigEndian)
            BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)value);
        else
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)value);
        return bytes;
    }

    /// <summary>A SHORT in an entry's four-byte value field: first two bytes, whatever the byte order.</summary>
    private static byte[] ShortValue(int value, bool bigEndian) => [.. Short(value, bigEndian), 0, 0];

    private static byte[] Long(uint value, bool bigEndian)
    {
        var bytes = new byte[4];
        if (bigEndian)
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        else
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }
}
