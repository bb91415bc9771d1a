using System.Buffers.Binary;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// ImageSharp 2.1 decodes no tiled TIFF ("Tiled images are not supported"), which archives and GIS tools write (a
/// scan master from libvips, a map from GDAL). This lays a tiled first page out in strips, as tiffcp -s does: each
/// tile is decompressed (uncompressed, LZW, Deflate or PackBits; by ImageSharp's own decompressors, given the tile as
/// a one-strip TIFF of 8-bit gray rows holding its bytes), its predictor undone, and its rows placed in one
/// uncompressed image; the page's directory is written anew after the end of the file, tiles replaced by strips of
/// that image (every other tag, and every offset in the file, as they were). A tiled page of another kind (JPEG tiles,
/// YCbCr, separate planes, tiles of other than whole 16-pixel sides, a BigTIFF) is left to the decoder, which refuses it with advice.
/// Called only once the header's size was checked against the limits: what is laid out is that size, and no tile
/// is decompressed past its own.
/// </summary>
internal static class TiledTiff
{
    private const ushort ImageWidthTag = 256, ImageLengthTag = 257, BitsPerSampleTag = 258, CompressionTag = 259,
        StripOffsetsTag = 273, SamplesPerPixelTag = 277, RowsPerStripTag = 278, StripByteCountsTag = 279,
        PlanarConfigurationTag = 284, PredictorTag = 317, TileWidthTag = 322, TileLengthTag = 323, TileOffsetsTag = 324, TileByteCountsTag = 325;

    private const ushort PhotometricTag = 262, YCbCr = 6;
    private const ushort NoCompression = 1, Lzw = 5, Deflate = 8, OldDeflate = 32946, PackBits = 32773;
    private const int EntryBytes = 12;

    /// <summary>The strips' rows: a strip is read whole, so a reader holds no more than this of the image at a time beside it.</summary>
    private const int StripBytes = 1 << 20;

    /// <summary>Whether the first page is stored in tiles (TileOffsets or TileWidth).</summary>
    public static bool IsTiled(ReadOnlySpan<byte> data) => TiffStructure.FirstPageHas(data, TileOffsetsTag) || TiffStructure.FirstPageHas(data, TileWidthTag);

    /// <summary>
    /// The file with its tiled first page laid out in strips; null when the page is not tiled, or tiled in a way
    /// this does not lay out. A tile that lies past the end of the file fails with <see cref="InvalidDataException"/>.
    /// </summary>
    public static byte[]? InStrips(byte[] data)
    {
        if (TiledLayout(data) is not { } l)
            return null;
        long imageRowBytes = RowBytes(l);
        bool littleEndian = data[0] == (byte)'I';
        return WithUncompressedImage(data, IsReplaced, [], imageRowBytes, l.Height,
            image => PlaceTiles(data, l, image, imageRowBytes, littleEndian));
    }

    /// <summary>Writes a page's uncompressed rows into <paramref name="image"/>, which holds them all.</summary>
    internal delegate void ImageFill(Span<byte> image);

    /// <summary>
    /// The file (a classic TIFF whose first directory fits it) with its first page's pixels replaced by the
    /// uncompressed rows <paramref name="fill"/> writes, <paramref name="imageRowBytes"/> each, in strips of
    /// <see cref="StripBytes"/> or less: the page's directory written anew after the end of the file, without the
    /// entries <paramref name="replaced"/> names, the page's old compression, predictor and strips, and with the one-value
    /// SHORT entries of <paramref name="added"/> (in place of the page's own) and the strips' own (Compression none
    /// among them); every other tag, and every offset in the file, as it was.
    /// Null for what is not such a TIFF, or where the result would not fit a classic TIFF.
    /// </summary>
    internal static byte[]? WithUncompressedImage(byte[] data, Func<ushort, bool> replaced, IReadOnlyList<(ushort Tag, ushort Value)> added,
        long imageRowBytes, int height, ImageFill fill)
    {
        if (data.Length < 8 || !(data.AsSpan(0, 4).SequenceEqual("II*\0"u8) || data.AsSpan(0, 4).SequenceEqual("MM\0*"u8))
            || TiffStructure.FirstDirectoryClaim(data) is not { Whole: true } claim)
            return null;
        bool littleEndian = data[0] == (byte)'I';
        var (kept, next) = Entries(data, (int)claim.Offset);
        long rawLength = imageRowBytes * height;
        int rowsPerStrip = (int)Math.Clamp(StripBytes / Math.Max(imageRowBytes, 1), 1, height);
        int strips = (height + rowsPerStrip - 1) / rowsPerStrip;
        long rawAt = data.Length + (data.Length & 1);
        long listsAt = rawAt + rawLength + (rawLength & 1);
        long directoryAt = listsAt + 8L * strips;
        // The pixels are written uncompressed and undifferenced, in strips: no tag of the old ones can stay.
        var entries = kept.Where(e => Tag(e, littleEndian) is var tag && !replaced(tag) && !added.Any(a => a.Tag == tag)
            && tag is not (CompressionTag or PredictorTag or StripOffsetsTag or RowsPerStripTag or StripByteCountsTag)).ToList();
        entries.AddRange(added.Select(a => Entry(a.Tag, 3, 1, a.Value, littleEndian)));
        entries.Add(Entry(CompressionTag, 3, 1, NoCompression, littleEndian));
        entries.Add(Entry(StripOffsetsTag, 4, (uint)strips, (uint)(strips == 1 ? rawAt : listsAt), littleEndian));
        entries.Add(Entry(RowsPerStripTag, 4, 1, (uint)rowsPerStrip, littleEndian));
        entries.Add(Entry(StripByteCountsTag, 4, (uint)strips, (uint)(strips == 1 ? rawLength : listsAt + 4 * strips), littleEndian));
        entries.Sort((a, b) => Tag(a, littleEndian).CompareTo(Tag(b, littleEndian)));
        long length = directoryAt + 2 + entries.Count * EntryBytes + 4;
        if (length > Math.Min(uint.MaxValue, Array.MaxLength))
            return null;

        var file = new byte[length];
        data.CopyTo(file, 0);
        fill(file.AsSpan((int)rawAt, (int)rawLength));
        // The strips' offsets, then their byte counts, after the image; then the directory.
        for (int s = 0; s < strips; s++)
        {
            long start = s * rowsPerStrip * imageRowBytes;
            Write(file.AsSpan((int)listsAt + 4 * s), (uint)(rawAt + start), littleEndian);
            Write(file.AsSpan((int)listsAt + 4 * (strips + s)), (uint)Math.Min(rawLength - start, rowsPerStrip * imageRowBytes), littleEndian);
        }
        var directory = file.AsSpan((int)directoryAt);
        TiffStructure.Write(directory, 2, (uint)entries.Count, littleEndian);
        for (int i = 0; i < entries.Count; i++)
            entries[i].CopyTo(directory[(2 + i * EntryBytes)..]);
        Write(directory[(2 + entries.Count * EntryBytes)..], next, littleEndian);
        Write(file.AsSpan(4), (uint)directoryAt, littleEndian);
        return file;
    }

    /// <summary>
    /// What <see cref="InStrips"/> allocates for <paramref name="data"/>, short of its few bytes of strip lists and
    /// directory: the file again and its page uncompressed, held beside the file while the page is decoded (an 8-bit
    /// RGB scan stored uncompressed costs 6 bytes a pixel more than in strips). 0 when it lays nothing out.
    /// </summary>
    public static long LaidOutBytes(byte[] data) => TiledLayout(data) is { } l ? data.Length + RowBytes(l) * l.Height : 0;

    /// <summary>The tiling of a TIFF whose first page is tiled in a way <see cref="InStrips"/> lays out; null otherwise.</summary>
    private static TileLayout? TiledLayout(byte[] data) =>
        IsTiled(data) && data.Length >= 8 && (data.AsSpan(0, 4).SequenceEqual("II*\0"u8) || data.AsSpan(0, 4).SequenceEqual("MM\0*"u8)) ? Layout(data) : null;

    private static long RowBytes(TileLayout l) => ((long)l.Width * l.Samples * l.Bits + 7) / 8;

    /// <summary>The tags of the tiles, which strips replace.</summary>
    private static bool IsReplaced(ushort tag) => tag is TileWidthTag or TileLengthTag or TileOffsetsTag or TileByteCountsTag;

    private sealed record TileLayout(int Width, int Height, int Samples, int Bits, int Compression, bool Differenced,
        int TileWidth, int TileLength, ulong[] Offsets, ulong[] Counts);

    /// <summary>The first page's tiling, where this lays it out: contiguous samples of whole bytes' rows, a known compression and predictor.</summary>
    private static TileLayout? Layout(byte[] data)
    {
        int width = (int)(TiffStructure.FirstPageValue(data, ImageWidthTag) ?? 0), height = (int)(TiffStructure.FirstPageValue(data, ImageLengthTag) ?? 0);
        int tileWidth = (int)(TiffStructure.FirstPageValue(data, TileWidthTag) ?? 0), tileLength = (int)(TiffStructure.FirstPageValue(data, TileLengthTag) ?? 0);
        int samples = (int)(TiffStructure.FirstPageValue(data, SamplesPerPixelTag) ?? 1);
        var bits = TiffStructure.FirstPageValues(data, BitsPerSampleTag, out _) ?? [1];
        int compression = (int)(TiffStructure.FirstPageValue(data, CompressionTag) ?? NoCompression);
        uint predictor = TiffStructure.FirstPageValue(data, PredictorTag) ?? 1;
        var offsets = TiffStructure.FirstPageValues(data, TileOffsetsTag, out _);
        var counts = TiffStructure.FirstPageValues(data, TileByteCountsTag, out _);
        // A tile's side is at most the image's, rounded up to the 16 pixels tiles are made of, or the 1024 a writer
        // may choose for a small image (tiffcp's 256 for one of 12): a larger one, claimed by a crafted header,
        // would be decompressed far past the size the limits were checked for.
        // Sides of 16 pixels at least, as TIFF requires, keep a crafted page from holding millions of tiles.
        if (width <= 0 || height <= 0 || tileWidth <= 0 || tileLength <= 0 || tileWidth % 16 != 0 || tileLength % 16 != 0
            || tileWidth > MaxTileSide(width) || tileLength > MaxTileSide(height)
            || samples is < 1 or > 8 || bits.Any(b => b != bits[0]) || bits[0] is not (1 or 2 or 4 or 8 or 16 or 32)
            || (long)tileWidth * samples * (long)bits[0] % 8 != 0
            || TiffStructure.FirstPageValue(data, PlanarConfigurationTag) is not (null or 1)
            // YCbCr samples are stored in blocks of subsampled pixels, not in rows.
            || TiffStructure.FirstPageValue(data, PhotometricTag) == YCbCr
            || !Decompresses(compression)
            || predictor is not (1 or 2) || (predictor == 2 && bits[0] is not (8 or 16 or 32))
            || offsets is null || counts is null)
            return null;
        long tiles = (long)((width + tileWidth - 1) / tileWidth) * ((height + tileLength - 1) / tileLength);
        if (offsets.Length != tiles || counts.Length != tiles)
            return null;
        return new TileLayout(width, height, samples, (int)bits[0], compression, predictor == 2, tileWidth, tileLength, offsets, counts);
    }

    private static int MaxTileSide(int imageSide) => (int)Math.Min(int.MaxValue, Math.Max(((long)imageSide + 15) / 16 * 16, 1024));

    /// <summary>The directory's entries as they stand (in the file's byte order), and its link to the next one.</summary>
    private static (List<byte[]> Entries, uint Next) Entries(byte[] data, int offset)
    {
        bool littleEndian = data[0] == (byte)'I';
        int count = (int)TiffStructure.Read(data.AsSpan(offset), 2, littleEndian);
        var entries = Enumerable.Range(0, count).Select(i => data.AsSpan(offset + 2 + i * EntryBytes, EntryBytes).ToArray()).ToList();
        return (entries, (uint)TiffStructure.Read(data.AsSpan(offset + 2 + count * EntryBytes), 4, littleEndian));
    }

    /// <summary>Decompresses each tile and copies its rows inside the image into <paramref name="image"/>.</summary>
    private static void PlaceTiles(byte[] data, TileLayout l, Span<byte> image, long imageRowBytes, bool littleEndian)
    {
        int tileRowBytes = (int)((long)l.TileWidth * l.Samples * l.Bits / 8);
        int across = (l.Width + l.TileWidth - 1) / l.TileWidth;
        for (int t = 0; t < l.Offsets.Length; t++)
        {
            if (l.Offsets[t] > (ulong)data.Length || l.Counts[t] > (ulong)data.Length - l.Offsets[t])
                throw new InvalidDataException($"tile {t + 1} of {l.Offsets.Length} lies past the end of the file");
            var tile = Decompress(data.AsSpan((int)l.Offsets[t], (int)l.Counts[t]), l.Compression, tileRowBytes, l.TileLength);
            if (l.Differenced)
                Undifference(tile, tileRowBytes, l.Samples, l.Bits / 8, littleEndian);
            int x = t % across * l.TileWidth, y = t / across * l.TileLength;
            long rowStart = (long)x * l.Samples * l.Bits / 8;
            int copied = (int)Math.Min(tileRowBytes, imageRowBytes - rowStart);
            for (int row = 0; row < l.TileLength && y + row < l.Height; row++)
                tile.AsSpan(row * tileRowBytes, copied).CopyTo(image[(int)((y + row) * imageRowBytes + rowStart)..]);
        }
    }

    /// <summary>The compressions <see cref="Decompress"/> undoes: none, LZW, Deflate (either code) and PackBits.</summary>
    internal static bool Decompresses(long compression) => compression is NoCompression or Lzw or Deflate or OldDeflate or PackBits;

    /// <summary>
    /// A tile's bytes: its data itself when uncompressed (zeros past a short one, as a decoder fills it), else
    /// ImageSharp's decompressor's, given the tile as an 8-bit gray image whose pixels are the tile's bytes.
    /// </summary>
    internal static byte[] Decompress(ReadOnlySpan<byte> compressed, int compression, int rowBytes, int rows)
    {
        var tile = new byte[(long)rowBytes * rows];
        if (compression == NoCompression)
        {
            compressed[..Math.Min(compressed.Length, tile.Length)].CopyTo(tile);
            return tile;
        }
        using var gray = Image.Load<L8>(SupportedFormats.Configuration, GrayStrip(compressed, compression, rowBytes, rows));
        gray.CopyPixelDataTo(tile);
        return tile;
    }

    /// <summary>A little-endian TIFF of one strip, <paramref name="compressed"/>, of 8-bit gray pixels <paramref name="rowBytes"/> by <paramref name="rows"/>.</summary>
    private static byte[] GrayStrip(ReadOnlySpan<byte> compressed, int compression, int rowBytes, int rows)
    {
        (ushort Tag, ushort Type, uint Value)[] tags =
        [
            (ImageWidthTag, 4, (uint)rowBytes), (ImageLengthTag, 4, (uint)rows), (BitsPerSampleTag, 3, 8), (CompressionTag, 3, (uint)compression),
            (PhotometricTag, 3, 1), (StripOffsetsTag, 4, 8), (SamplesPerPixelTag, 3, 1), (RowsPerStripTag, 4, (uint)rows), (StripByteCountsTag, 4, (uint)compressed.Length),
        ];
        int directoryAt = 8 + compressed.Length + (compressed.Length & 1);
        var file = new byte[directoryAt + 2 + tags.Length * EntryBytes + 4];
        "II*\0"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)directoryAt);
        compressed.CopyTo(file.AsSpan(8));
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(directoryAt), (ushort)tags.Length);
        for (int i = 0; i < tags.Length; i++)
            Entry(tags[i].Tag, tags[i].Type, 1, tags[i].Value, littleEndian: true).CopyTo(file, directoryAt + 2 + i * EntryBytes);
        return file;
    }

    /// <summary>Undoes horizontal differencing in each row: every sample (of 1, 2 or 4 bytes, in the file's byte order) plus the one a pixel before it.</summary>
    internal static void Undifference(byte[] tile, int rowBytes, int samples, int sampleBytes, bool littleEndian)
    {
        int stride = samples * sampleBytes;
        for (int row = 0; row + rowBytes <= tile.Length; row += rowBytes)
            for (int at = row + stride; at + sampleBytes <= row + rowBytes; at += sampleBytes)
            {
                var sample = tile.AsSpan(at, sampleBytes);
                if (sampleBytes == 1)
                    sample[0] += tile[at - stride];
                else
                    TiffStructure.Write(sample, sampleBytes, (uint)(TiffStructure.Read(sample, sampleBytes, littleEndian) + TiffStructure.Read(tile.AsSpan(at - stride), sampleBytes, littleEndian)), littleEndian);
            }
    }

    private static ushort Tag(byte[] entry, bool littleEndian) => (ushort)TiffStructure.Read(entry, 2, littleEndian);

    /// <summary>An entry of one SHORT or LONG value, or of a list stored at the offset <paramref name="value"/>, in the file's byte order.</summary>
    private static byte[] Entry(ushort tag, ushort type, uint count, uint value, bool littleEndian)
    {
        var entry = new byte[EntryBytes];
        TiffStructure.Write(entry, 2, tag, littleEndian);
        TiffStructure.Write(entry.AsSpan(2), 2, type, littleEndian);
        TiffStructure.Write(entry.AsSpan(4), 4, count, littleEndian);
        // A single SHORT sits in the field's first two bytes, in either byte order.
        TiffStructure.Write(entry.AsSpan(8), type == 3 && count == 1 ? 2 : 4, value, littleEndian);
        return entry;
    }

    private static void Write(Span<byte> at, uint value, bool littleEndian) => TiffStructure.Write(at, 4, value, littleEndian);
}
