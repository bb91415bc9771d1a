using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// Writes what ImageSharp 2.1's TIFF encoder cannot: 16 bits per sample (gray, gray and alpha, RGB or RGBA), as it
/// writes 8 whatever it is asked and an archive's 16-bit scan came out rounded to 8; and 8-bit RGBA or gray and alpha,
/// as it writes no alpha and a cut-out came out flattened onto white. The strips are deflated with the horizontal predictor, as the other TIFF
/// outputs are. Every other tag (resolution, ICC profile, XMP, IPTC, the descriptive tags) is what ImageSharp's
/// encoder writes for the same image: it encodes a one-pixel copy of it, and those tags are taken over, so that
/// these outputs keep exactly what an 8-bit RGB or gray one keeps.
/// </summary>
internal sealed class DeepOrAlphaTiffEncoder(TiffEncoder tagEncoder) : IImageEncoder
{
    private const ushort ImageWidth = 256, ImageLength = 257, BitsPerSample = 258, Compression = 259,
        Photometric = 262, StripOffsets = 273, SamplesPerPixel = 277, RowsPerStrip = 278, StripByteCounts = 279,
        PlanarConfiguration = 284, Predictor = 317, ExtraSamples = 338;

    /// <summary>The tags this encoder sets itself: how the pixels are stored (a tile's among them, should ImageSharp ever write one).</summary>
    private static readonly HashSet<ushort> s_layoutTags =
    [
        ImageWidth, ImageLength, BitsPerSample, Compression, Photometric, StripOffsets, SamplesPerPixel, RowsPerStrip,
        StripByteCounts, PlanarConfiguration, Predictor, ExtraSamples, 322, 323, 324, 325, 339,
    ];

    private const ushort ShortType = 3, LongType = 4;
    private const ushort DeflateCompression = 8, HorizontalDifferencing = 2, UnassociatedAlpha = 2;

    /// <summary>
    /// The uncompressed bytes a strip holds at most (one row where a row is longer): a reader inflates a strip at a
    /// time, and deflate's 32 KB window gains nothing from longer ones.
    /// </summary>
    private const int StripBytes = 64 * 1024;

    public void Encode<TPixel>(Image<TPixel> image, Stream stream)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        var (samples, sampleBytes) = Layout<TPixel>();
        var entries = TagsOf(image);
        long start = stream.Position;
        stream.Write("II*\0\0\0\0\0"u8);
        var (offsets, counts, rowsPerStrip) = sampleBytes == 1
            ? WriteStrips<TPixel, byte>(image, samples, stream, start)
            : WriteStrips<TPixel, ushort>(image, samples, stream, start);

        bool gray = samples <= 2;
        entries[ImageWidth] = Long((uint)image.Width);
        entries[ImageLength] = Long((uint)image.Height);
        entries[BitsPerSample] = Shorts(Enumerable.Repeat((ushort)(8 * sampleBytes), samples).ToArray());
        entries[Compression] = Shorts(DeflateCompression);
        entries[Photometric] = Shorts(gray ? (ushort)1 : (ushort)2); // BlackIsZero or RGB
        entries[StripOffsets] = Longs(offsets);
        entries[SamplesPerPixel] = Shorts((ushort)samples);
        entries[RowsPerStrip] = Long((uint)rowsPerStrip);
        entries[StripByteCounts] = Longs(counts);
        entries[PlanarConfiguration] = Shorts(1); // contiguous: RGBRGB...
        entries[Predictor] = Shorts(HorizontalDifferencing);
        // The last sample of gray and alpha (2) or RGBA (4).
        if (samples is 2 or 4)
            entries[ExtraSamples] = Shorts(UnassociatedAlpha);
        WriteDirectory(entries, stream, start);
    }

    /// <summary>The samples a pixel holds and the bytes of one sample, for the pixel types written.</summary>
    private static (int Samples, int SampleBytes) Layout<TPixel>()
    {
        if (typeof(TPixel) == typeof(L16))
            return (1, 2);
        if (typeof(TPixel) == typeof(Rgb48))
            return (3, 2);
        if (typeof(TPixel) == typeof(Rgba64))
            return (4, 2);
        if (typeof(TPixel) == typeof(Rgba32))
            return (4, 1);
        if (typeof(TPixel) == typeof(La32))
            return (2, 2);
        if (typeof(TPixel) == typeof(La16))
            return (2, 1);
        throw new NotSupportedException($"This TIFF encoder writes L16, Rgb48, Rgba64, Rgba32, La32 or La16 pixels, not {typeof(TPixel).Name}.");
    }

    public Task EncodeAsync<TPixel>(Image<TPixel> image, Stream stream, CancellationToken cancellationToken)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        Encode(image, stream);
        return Task.CompletedTask;
    }

    /// <summary>A tag's type, count and value bytes (little-endian), as a directory entry holds or points to them.</summary>
    private sealed record Entry(ushort Type, uint Count, byte[] Value);

    private static Entry Shorts(params ushort[] values)
    {
        byte[] bytes = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), values[i]);
        return new Entry(ShortType, (uint)values.Length, bytes);
    }

    private static Entry Long(uint value) => Longs([value]);

    private static Entry Longs(IReadOnlyList<uint> values)
    {
        byte[] bytes = new byte[values.Count * 4];
        for (int i = 0; i < values.Count; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), values[i]);
        return new Entry(LongType, (uint)values.Count, bytes);
    }

    /// <summary>
    /// The tags ImageSharp's encoder writes for the image, less those of its pixels' layout: it encodes a one-pixel
    /// crop (whose metadata is the image's) and reads back its directory.
    /// </summary>
    private SortedDictionary<ushort, Entry> TagsOf<TPixel>(Image<TPixel> image)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        using var pixel = image.Clone(c => c.Crop(new Rectangle(0, 0, 1, 1)));
        using var written = new MemoryStream();
        pixel.Save(written, tagEncoder);
        byte[] tiff = written.ToArray();
        var entries = new SortedDictionary<ushort, Entry>();
        int directory = (int)BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan(4));
        int count = BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(directory));
        for (int i = 0; i < count; i++)
        {
            var at = tiff.AsSpan(directory + 2 + i * 12, 12);
            ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(at);
            ushort type = BinaryPrimitives.ReadUInt16LittleEndian(at[2..]);
            uint valueCount = BinaryPrimitives.ReadUInt32LittleEndian(at[4..]);
            int size = checked(TiffExifDirectories.TypeSize(type) * (int)valueCount);
            if (s_layoutTags.Contains(tag) || size == 0)
                continue;
            byte[] value = size <= 4
                ? at.Slice(8, size).ToArray()
                : tiff.AsSpan((int)BinaryPrimitives.ReadUInt32LittleEndian(at[8..]), size).ToArray();
            entries[tag] = new Entry(type, valueCount, value);
        }
        return entries;
    }

    /// <summary>
    /// Writes the pixels strip by strip, each sample less its left neighbour (modulo 2^8 or 2^16, as libtiff undoes
    /// it), little-endian, deflated; returns each strip's offset and length and the rows a strip holds.
    /// </summary>
    private static (uint[] Offsets, uint[] Counts, int RowsPerStrip) WriteStrips<TPixel, TSample>(Image<TPixel> image, int samples, Stream stream, long start)
        where TPixel : unmanaged, IPixel<TPixel>
        where TSample : unmanaged, IBinaryInteger<TSample>
    {
        int rowSamples = image.Width * samples;
        int sampleBytes = Unsafe.SizeOf<TSample>();
        int rowsPerStrip = Math.Clamp(StripBytes / (rowSamples * sampleBytes), 1, image.Height);
        int strips = (image.Height + rowsPerStrip - 1) / rowsPerStrip;
        var offsets = new uint[strips];
        var counts = new uint[strips];
        image.ProcessPixelRows(rows =>
        {
            var differences = new TSample[rowSamples];
            for (int strip = 0; strip < strips; strip++)
            {
                long at = stream.Position;
                using (var deflate = new ZLibStream(stream, CompressionLevel.Optimal, leaveOpen: true))
                {
                    for (int y = strip * rowsPerStrip; y < Math.Min(image.Height, (strip + 1) * rowsPerStrip); y++)
                    {
                        var row = MemoryMarshal.Cast<TPixel, TSample>(rows.GetRowSpan(y));
                        for (int i = rowSamples - 1; i >= samples; i--)
                            differences[i] = unchecked(row[i] - row[i - samples]);
                        row[..samples].CopyTo(differences);
                        if (sampleBytes > 1 && !BitConverter.IsLittleEndian)
                        {
                            var words = MemoryMarshal.Cast<TSample, ushort>(differences.AsSpan());
                            BinaryPrimitives.ReverseEndianness(words, words);
                        }
                        deflate.Write(MemoryMarshal.AsBytes(differences.AsSpan()));
                    }
                }
                offsets[strip] = Offset(at - start);
                counts[strip] = Offset(stream.Position - at);
            }
        });
        Offset(stream.Position - start);
        return (offsets, counts, rowsPerStrip);
    }

    /// <summary>
    /// Writes the values that do not fit their entries, then the directory (at a word boundary, as TIFF asks), and
    /// points the header at it.
    /// </summary>
    private static void WriteDirectory(SortedDictionary<ushort, Entry> entries, Stream stream, long start)
    {
        var pointers = new Dictionary<ushort, uint>();
        foreach (var (tag, entry) in entries.Where(e => e.Value.Value.Length > 4))
        {
            PadToWord(stream, start);
            pointers[tag] = Offset(stream.Position - start);
            stream.Write(entry.Value);
        }
        PadToWord(stream, start);
        uint directory = Offset(stream.Position - start);
        byte[] bytes = new byte[2 + entries.Count * 12 + 4];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)entries.Count);
        int at = 2;
        foreach (var (tag, entry) in entries)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), tag);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 2), entry.Type);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 4), entry.Count);
            if (pointers.TryGetValue(tag, out uint pointer))
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 8), pointer);
            else
                entry.Value.CopyTo(bytes, at + 8);
            at += 12;
        }
        stream.Write(bytes);
        Offset(stream.Position - start);
        long end = stream.Position;
        stream.Position = start + 4;
        Span<byte> header = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(header, directory);
        stream.Write(header);
        stream.Position = end;
    }

    private static void PadToWord(Stream stream, long start)
    {
        if (((stream.Position - start) & 1) != 0)
            stream.WriteByte(0);
    }

    /// <summary>A position in the file as a classic TIFF stores it: one past 4 GB cannot be written.</summary>
    private static uint Offset(long position) =>
        position <= uint.MaxValue
            ? (uint)position
            : throw new IOException("The TIFF would be larger than the 4 GB a TIFF file holds; use -Format Png for this image.");
}
