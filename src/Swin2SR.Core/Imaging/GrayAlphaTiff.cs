using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// ImageSharp 2.1 decodes no gray TIFF with alpha (two samples a pixel, the second an alpha that ExtraSamples calls
/// associated or unassociated): "The specified TIFF photometric interpretation is not supported", though GIMP,
/// Photoshop and libvips write such cut-outs and masks, 8 or 16 bits deep. This splits the first page in two: the
/// gray, as an uncompressed gray page of the same file (every other tag as it was) that the decoder reads at its
/// own depth, and the alpha, put into the decoded pixels. Its strips are decompressed (uncompressed, LZW, Deflate or
/// PackBits) and their predictor undone as <see cref="TiledTiff"/> does a tile's; a tiled page is laid out in
/// strips by it first. A page of another kind (separate planes, floating point, an ExtraSamples of 0, which is no
/// alpha, WhiteIsZero) is left to the decoder, which refuses it with advice.
/// Called only once the header's size was checked against the limits.
/// </summary>
internal static class GrayAlphaTiff
{
    private const ushort BitsPerSampleTag = 258, CompressionTag = 259, PhotometricTag = 262, StripOffsetsTag = 273, SamplesPerPixelTag = 277,
        RowsPerStripTag = 278, StripByteCountsTag = 279, PlanarConfigurationTag = 284, PredictorTag = 317, ExtraSamplesTag = 338, SampleFormatTag = 339,
        ImageWidthTag = 256, ImageLengthTag = 257;

    private const uint BlackIsZero = 1, AssociatedAlpha = 1, UnassociatedAlpha = 2;
    private const uint NoCompression = 1;

    /// <summary>The gray page for the decoder, and the alpha (16 bits, one a pixel, row by row) to put into what it decodes.</summary>
    public sealed class Split(byte[] grayFile, ushort[] alpha, bool associated)
    {
        public byte[] GrayFile { get; } = grayFile;

        /// <summary>
        /// Puts the alpha into <paramref name="image"/>, decoded from <see cref="GrayFile"/>; an associated alpha's
        /// gray (multiplied by it) is divided by it, as the decoder does for an RGBA TIFF's, so that the output, whose
        /// alpha is unassociated, is not darkened.
        /// </summary>
        public void Apply(Image<Rgba64> image) => image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    ref var p = ref row[x];
                    p.A = alpha[y * row.Length + x];
                    if (associated && p.A != 0)
                        p.R = p.G = p.B = (ushort)Math.Min(ushort.MaxValue, (p.R * (long)ushort.MaxValue + p.A / 2) / p.A);
                }
            }
        });
    }

    private sealed record StripLayout(int Width, int Height, int Bits, uint Compression, bool Differenced, bool Associated, int RowsPerStrip,
        ulong[] Offsets, ulong[] Counts);

    /// <summary>
    /// The first page split into gray and alpha; null when it is no gray page with alpha this reads. A strip that lies
    /// past the end of the file fails with <see cref="InvalidDataException"/>.
    /// </summary>
    public static Split? Read(byte[] data)
    {
        if (Layout(data) is not { } l)
            return null;
        bool littleEndian = data[0] == (byte)'I';
        int sampleBytes = l.Bits / 8;
        long pixelRowBytes = (long)l.Width * 2 * sampleBytes;
        var pixels = Strips(data, l, pixelRowBytes, littleEndian);
        var alpha = new ushort[(long)l.Width * l.Height];
        var gray = TiledTiff.WithUncompressedImage(data, IsReplaced, [(BitsPerSampleTag, (ushort)l.Bits), (SamplesPerPixelTag, 1)],
            (long)l.Width * sampleBytes, l.Height, image =>
            {
                // The gray samples are copied in the file's byte order, which the new page keeps.
                for (long i = 0; i < alpha.Length; i++)
                {
                    pixels.AsSpan((int)(i * 2 * sampleBytes), sampleBytes).CopyTo(image[(int)(i * sampleBytes)..]);
                    var a = pixels.AsSpan((int)((i * 2 + 1) * sampleBytes), sampleBytes);
                    alpha[i] = sampleBytes == 1 ? (ushort)(a[0] * 257) : (ushort)TiffStructure.Read(a, 2, littleEndian);
                }
            });
        return gray is null ? null : new Split(gray, alpha, l.Associated);
    }

    /// <summary>
    /// What <see cref="Read"/> holds beside the file while the page is decoded: the two samples uncompressed, the
    /// alpha (2 bytes a pixel) and the gray page, the file again with the gray uncompressed after it; 0 for a page
    /// it does not read. A tiled page counts too: it is read once <see cref="TiledTiff"/> has laid it out in strips
    /// (that copy is <see cref="TiledTiff.LaidOutBytes"/>).
    /// </summary>
    public static long LaidOutBytes(byte[] data)
    {
        if (Samples(data) is not { } p)
            return 0;
        long pixels = (long)p.Width * p.Height, sampleBytes = p.Bits / 8;
        return pixels * 2 * sampleBytes + pixels * sizeof(ushort) + data.Length + pixels * sampleBytes;
    }

    /// <summary>The tag of the second sample, which the one-sample page has not (its BitsPerSample and SamplesPerPixel are written anew).</summary>
    private static bool IsReplaced(ushort tag) => tag == ExtraSamplesTag;

    private sealed record GrayAlphaPage(int Width, int Height, int Bits, bool Associated);

    /// <summary>The first page's samples, where this reads them: BlackIsZero gray and alpha, 8 or 16 bits, contiguous; stored in strips or tiles.</summary>
    private static GrayAlphaPage? Samples(byte[] data)
    {
        uint? extra = TiffStructure.FirstPageValue(data, ExtraSamplesTag);
        if (TiffStructure.FirstPageValue(data, PhotometricTag) != BlackIsZero || TiffStructure.FirstPageValue(data, SamplesPerPixelTag) != 2
            || extra is not (AssociatedAlpha or UnassociatedAlpha))
            return null;
        int width = (int)(TiffStructure.FirstPageValue(data, ImageWidthTag) ?? 0), height = (int)(TiffStructure.FirstPageValue(data, ImageLengthTag) ?? 0);
        var bits = TiffStructure.FirstPageValues(data, BitsPerSampleTag, out _);
        if (width <= 0 || height <= 0 || bits is not [8 or 16, var alphaBits] || alphaBits != bits[0]
            || TiffStructure.FirstPageValue(data, PlanarConfigurationTag) is not (null or 1)
            || TiffStructure.FirstPageValue(data, SampleFormatTag) is not (null or 1))
            return null;
        return new GrayAlphaPage(width, height, (int)bits[0], extra == AssociatedAlpha);
    }

    /// <summary>The first page's strips, where this reads them (<see cref="Samples"/>), of a known compression and predictor.</summary>
    private static StripLayout? Layout(byte[] data)
    {
        if (Samples(data) is not { } p)
            return null;
        uint compression = TiffStructure.FirstPageValue(data, CompressionTag) ?? NoCompression;
        uint predictor = TiffStructure.FirstPageValue(data, PredictorTag) ?? 1;
        int rowsPerStrip = (int)Math.Min(TiffStructure.FirstPageValue(data, RowsPerStripTag) ?? uint.MaxValue, (uint)p.Height);
        var offsets = TiffStructure.FirstPageValues(data, StripOffsetsTag, out _);
        var counts = TiffStructure.FirstPageValues(data, StripByteCountsTag, out _);
        if (rowsPerStrip <= 0 || !TiledTiff.Decompresses(compression) || predictor is not (1 or 2) || offsets is null || counts is null
            || offsets.Length != (p.Height + rowsPerStrip - 1) / rowsPerStrip || counts.Length != offsets.Length)
            return null;
        return new StripLayout(p.Width, p.Height, p.Bits, compression, predictor == 2, p.Associated, rowsPerStrip, offsets, counts);
    }

    /// <summary>The page's pixels, uncompressed, row after row: each strip decompressed and its predictor undone.</summary>
    private static byte[] Strips(byte[] data, StripLayout l, long rowBytes, bool littleEndian)
    {
        var pixels = new byte[rowBytes * l.Height];
        for (int s = 0; s < l.Offsets.Length; s++)
        {
            if (l.Offsets[s] > (ulong)data.Length || l.Counts[s] > (ulong)data.Length - l.Offsets[s])
                throw new InvalidDataException($"strip {s + 1} of {l.Offsets.Length} lies past the end of the file");
            int rows = Math.Min(l.RowsPerStrip, l.Height - s * l.RowsPerStrip);
            var strip = TiledTiff.Decompress(data.AsSpan((int)l.Offsets[s], (int)l.Counts[s]), (int)l.Compression, (int)rowBytes, rows);
            if (l.Differenced)
                TiledTiff.Undifference(strip, (int)rowBytes, 2, l.Bits / 8, littleEndian);
            strip.CopyTo(pixels, s * l.RowsPerStrip * rowBytes);
        }
        return pixels;
    }
}
