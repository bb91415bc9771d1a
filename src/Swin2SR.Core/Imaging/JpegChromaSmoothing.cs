using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// ImageSharp 2.1 upsamples a JPEG's subsampled chroma (4:2:0, 4:2:2, 4:4:0) by repeating each sample over its 2x2
/// (or 2x1, 1x2) block of pixels, where libjpeg, and so Pillow, OpenCV, browsers and the pictures these models were
/// trained on, interpolate it ("fancy" triangular upsampling: 3/4 of the nearest sample, 1/4 of the next). The
/// blocks cost colour edges their sharpness: against the original of a q95 4:2:0 JPEG, ImageSharp's decode is
/// about 2.3 dB PSNR worse than libjpeg's, and the model upscales the blocks. The decode is mended here: each
/// block's chroma is read back from its pixels (ImageSharp adds the same chroma offset to every pixel of a block, so
/// it comes back exactly), interpolated as libjpeg does, and the difference added to the pixels; luma is left as
/// decoded. Pixels clipped at 0 or full scale do not give their chroma back, so a block is read from those that are
/// not (from all of them where every one is). This brings the decode within about 0.2 dB of libjpeg's. Where the
/// pixels show chroma that is not constant over the blocks (not ImageSharp's repetition), nothing is changed.
/// </summary>
internal static class JpegChromaSmoothing
{
    // JFIF YCbCr (full range): the chroma of an RGB pixel, and what a change of chroma does to R, G and B.
    private const float CbR = -0.168736f, CbG = -0.331264f, CbB = 0.5f;
    private const float CrR = 0.5f, CrG = -0.418688f, CrB = -0.081312f;
    private const float RFromCr = 1.402f, GFromCb = -0.344136f, GFromCr = -0.714136f, BFromCb = 1.772f;

    /// <summary>
    /// Root mean square chroma deviation from the block's, in 16-bit levels, over which the pixels are not ImageSharp's
    /// repetition: that leaves 0 (the blocks' chroma comes back exactly); an interpolated or full-resolution
    /// chroma leaves hundreds (a few 8-bit levels).
    /// </summary>
    private const double MaxRepetitionSpread = 64;

    /// <summary>Interpolates the chroma of <paramref name="image"/>, decoded by ImageSharp from <paramref name="file"/>, as libjpeg does; false where there is none to interpolate.</summary>
    public static bool Smooth(Image<Rgba64> image, ReadOnlySpan<byte> file) =>
        JpegStructure.ReadFrame(file) is { } frame && frame.Width == image.Width && frame.Height == image.Height
        && JpegStructure.AdobeTransform(file) != 0 && Subsampling(frame) is var (across, down)
        && Smooth(image, across, down, image.Height);

    /// <summary>
    /// <see cref="Smooth(Image{Rgba64}, ReadOnlySpan{byte})"/> for an image decoded from bands of
    /// <paramref name="bandHeight"/> rows, each a JPEG of its own (a JPEG-compressed TIFF's strips): libjpeg decodes
    /// each alone, so a band's chroma is interpolated from its own samples only, its edge samples repeated at its edges.
    /// </summary>
    public static bool Smooth(Image<Rgba64> image, int across, int down, int bandHeight)
    {
        var bands = new ChromaBlocks[JpegFrame.Ceiling(image.Height, bandHeight)];
        for (int i = 0; i < bands.Length; i++)
            bands[i] = new ChromaBlocks(image.Width, i * bandHeight, Math.Min(bandHeight, image.Height - i * bandHeight), across, down);
        image.ProcessPixelRows(rows =>
        {
            foreach (var band in bands)
                band.Read(rows);
        });
        if (bands.Max(band => band.Spread) > MaxRepetitionSpread)
            return false;
        image.ProcessPixelRows(rows =>
        {
            foreach (var band in bands)
                band.Interpolate(rows);
        });
        return true;
    }

    /// <summary>
    /// How many pixels across and down one chroma sample covers (1 or 2 each, not both 1), for a YCbCr frame whose
    /// luma has the finer sampling and whose two chroma components share theirs; null for any other.
    /// </summary>
    public static (int Across, int Down)? Subsampling(JpegFrame frame)
    {
        if (frame is not { Components: [var luma, var cb, var cr] })
            return null;
        // ImageSharp reads three components as RGB (no conversion) under an Adobe transform of 0 (the caller's to
        // check), and some readers do for the component ids 'R', 'G', 'B': neither is YCbCr.
        if ((luma.Id, cb.Id, cr.Id) == ('R', 'G', 'B'))
            return null;
        if ((cb.H, cb.V) != (1, 1) || (cr.H, cr.V) != (1, 1) || luma.H > 2 || luma.V > 2 || (luma.H, luma.V) == (1, 1))
            return null;
        return (luma.H, luma.V);
    }

    private static float Cb(Rgba64 p) => CbR * p.R + CbG * p.G + CbB * p.B;

    private static float Cr(Rgba64 p) => CrR * p.R + CrG * p.G + CrB * p.B;

    /// <summary>A pixel clipped in some channel: its chroma is not the block's.</summary>
    private static bool Clipped(Rgba64 p) => p.R is 0 or ushort.MaxValue || p.G is 0 or ushort.MaxValue || p.B is 0 or ushort.MaxValue;

    /// <summary>The chroma of each block of the <paramref name="height"/> rows from <paramref name="top"/>, read back from their pixels.</summary>
    private sealed class ChromaBlocks(int width, int top, int height, int across, int down)
    {
        private readonly int _wide = JpegFrame.Ceiling(width, across);
        private readonly int _high = JpegFrame.Ceiling(height, down);
        private float[] _cb = [], _cr = [];

        /// <summary>The root mean square distance of the unclipped pixels' chroma from their block's, once <see cref="Read"/>.</summary>
        public double Spread { get; private set; }

        /// <summary>Reads the blocks one row of them at a time, so that what it sums takes a row's worth of memory, not the image's.</summary>
        public void Read(PixelAccessor<Rgba64> rows)
        {
            _cb = new float[_wide * _high];
            _cr = new float[_wide * _high];
            // For each block of the row: chroma sums of its unclipped pixels, then of all; their count; and the unclipped ones' squares.
            var sums = new double[4 * _wide];
            var counts = new int[2 * _wide];
            var squares = new double[_wide];
            double deviation = 0;
            long unclipped = 0;
            for (int by = 0; by < _high; by++)
            {
                Array.Clear(sums);
                Array.Clear(counts);
                Array.Clear(squares);
                for (int y = by * down; y < Math.Min(height, (by + 1) * down); y++)
                {
                    var row = rows.GetRowSpan(top + y);
                    for (int x = 0; x < width; x++)
                    {
                        var p = row[x];
                        int b = x / across;
                        float cb = Cb(p), cr = Cr(p);
                        sums[4 * b + 2] += cb;
                        sums[4 * b + 3] += cr;
                        counts[2 * b + 1]++;
                        if (Clipped(p))
                            continue;
                        sums[4 * b] += cb;
                        sums[4 * b + 1] += cr;
                        squares[b] += (double)cb * cb + (double)cr * cr;
                        counts[2 * b]++;
                    }
                }
                for (int b = 0; b < _wide; b++)
                {
                    int n = counts[2 * b], all = counts[2 * b + 1];
                    double cb = n > 0 ? sums[4 * b] / n : sums[4 * b + 2] / all, cr = n > 0 ? sums[4 * b + 1] / n : sums[4 * b + 3] / all;
                    _cb[by * _wide + b] = (float)cb;
                    _cr[by * _wide + b] = (float)cr;
                    deviation += squares[b] - n * (cb * cb + cr * cr);
                    unclipped += n;
                }
            }
            Spread = unclipped == 0 ? 0 : Math.Sqrt(Math.Max(0, deviation / unclipped));
        }

        public void Interpolate(PixelAccessor<Rgba64> rows)
        {
            // libjpeg's triangular filter, 3/4 of the nearest sample and 1/4 of the next, down (into a row of blocks' worth) and then across.
            var downCb = new float[_wide];
            var downCr = new float[_wide];
            for (int y = 0; y < height; y++)
            {
                var (by, nearY) = Neighbour(y, down, _high);
                for (int b = 0; b < _wide; b++)
                {
                    downCb[b] = Blend(_cb[by * _wide + b], _cb[nearY * _wide + b]);
                    downCr[b] = Blend(_cr[by * _wide + b], _cr[nearY * _wide + b]);
                }
                var row = rows.GetRowSpan(top + y);
                for (int x = 0; x < width; x++)
                {
                    var (bx, nearX) = Neighbour(x, across, _wide);
                    float cb = Blend(downCb[bx], downCb[nearX]) - _cb[by * _wide + bx];
                    float cr = Blend(downCr[bx], downCr[nearX]) - _cr[by * _wide + bx];
                    var p = row[x];
                    row[x] = new Rgba64(Level(p.R + RFromCr * cr), Level(p.G + GFromCb * cb + GFromCr * cr), Level(p.B + BFromCb * cb), p.A);
                }
            }
        }

        /// <summary>
        /// The block a pixel is in along one axis, and the block next nearest to it: the one before for the first pixel
        /// of two, after for the second; the edge block itself at the image's edges (libjpeg repeats the edge samples).
        /// Along an axis that is not subsampled, the block itself.
        /// </summary>
        private static (int Own, int Near) Neighbour(int position, int factor, int blocks)
        {
            int own = position / factor;
            if (factor == 1)
                return (own, own);
            return (own, Math.Clamp(position % 2 == 0 ? own - 1 : own + 1, 0, blocks - 1));
        }

        /// <summary>3/4 of the nearest sample and 1/4 of the next; the sample itself where the next is the same (an axis not subsampled).</summary>
        private static float Blend(float nearest, float next) => 0.75f * nearest + 0.25f * next;

        private static ushort Level(float value) => (ushort)Math.Clamp(MathF.Round(value), 0, ushort.MaxValue);
    }
}
