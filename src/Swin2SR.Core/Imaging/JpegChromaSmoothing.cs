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
    /// Mean chroma deviation from the block's, in 16-bit levels, over which the pixels are not ImageSharp's
    /// repetition: that leaves 0 (the blocks' chroma comes back exactly); an interpolated or full-resolution
    /// chroma leaves hundreds (a few 8-bit levels).
    /// </summary>
    private const double MaxRepetitionSpread = 64;

    /// <summary>Interpolates the chroma of <paramref name="image"/>, decoded by ImageSharp from <paramref name="file"/>, as libjpeg does; false where there is none to interpolate.</summary>
    public static bool Smooth(Image<Rgba64> image, ReadOnlySpan<byte> file)
    {
        if (Subsampling(file, image.Width, image.Height) is not var (across, down))
            return false;
        var blocks = new ChromaBlocks(image.Width, image.Height, across, down);
        image.ProcessPixelRows(rows => blocks.Read(rows));
        if (blocks.Spread(image) > MaxRepetitionSpread)
            return false;
        image.ProcessPixelRows(rows => blocks.Interpolate(rows));
        return true;
    }

    /// <summary>
    /// How many pixels across and down one chroma sample covers (1 or 2 each, not both 1), for a YCbCr JPEG whose
    /// luma has the finer sampling and whose two chroma components share theirs; null for any other.
    /// </summary>
    private static (int Across, int Down)? Subsampling(ReadOnlySpan<byte> file, int width, int height)
    {
        if (JpegStructure.ReadFrame(file) is not { Components: [var luma, var cb, var cr] } frame || frame.Width != width || frame.Height != height)
            return null;
        // ImageSharp reads three components as RGB (no conversion) under an Adobe transform of 0, and some readers do
        // for the component ids 'R', 'G', 'B': neither is YCbCr.
        if (JpegStructure.AdobeTransform(file) == 0 || (luma.Id, cb.Id, cr.Id) == ('R', 'G', 'B'))
            return null;
        if ((cb.H, cb.V) != (1, 1) || (cr.H, cr.V) != (1, 1) || luma.H > 2 || luma.V > 2 || (luma.H, luma.V) == (1, 1))
            return null;
        return (luma.H, luma.V);
    }

    private static float Cb(Rgba64 p) => CbR * p.R + CbG * p.G + CbB * p.B;

    private static float Cr(Rgba64 p) => CrR * p.R + CrG * p.G + CrB * p.B;

    /// <summary>A pixel clipped in some channel: its chroma is not the block's.</summary>
    private static bool Clipped(Rgba64 p) => p.R is 0 or ushort.MaxValue || p.G is 0 or ushort.MaxValue || p.B is 0 or ushort.MaxValue;

    /// <summary>The chroma of each block, read back from its pixels.</summary>
    private sealed class ChromaBlocks(int width, int height, int across, int down)
    {
        private readonly int _wide = JpegFrame.Ceiling(width, across);
        private readonly int _high = JpegFrame.Ceiling(height, down);
        private float[] _cb = [], _cr = [];

        public void Read(PixelAccessor<Rgba64> rows)
        {
            int count = _wide * _high;
            var sums = new double[4, count];
            var counts = new int[2, count];
            for (int y = 0; y < height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < width; x++)
                {
                    int block = Block(x, y);
                    // Index 0 sums the unclipped pixels, 1 all of them.
                    for (int kind = Clipped(row[x]) ? 1 : 0; kind < 2; kind++)
                    {
                        sums[2 * kind, block] += Cb(row[x]);
                        sums[2 * kind + 1, block] += Cr(row[x]);
                        counts[kind, block]++;
                    }
                }
            }
            _cb = new float[count];
            _cr = new float[count];
            for (int b = 0; b < count; b++)
            {
                int kind = counts[0, b] > 0 ? 0 : 1;
                _cb[b] = (float)(sums[2 * kind, b] / counts[kind, b]);
                _cr[b] = (float)(sums[2 * kind + 1, b] / counts[kind, b]);
            }
        }

        /// <summary>The mean distance of the unclipped pixels' chroma from their block's.</summary>
        public double Spread(Image<Rgba64> image)
        {
            double total = 0;
            long pixels = 0;
            image.ProcessPixelRows(rows =>
            {
                for (int y = 0; y < height; y++)
                {
                    var row = rows.GetRowSpan(y);
                    for (int x = 0; x < width; x++)
                    {
                        if (Clipped(row[x]))
                            continue;
                        int block = Block(x, y);
                        total += Math.Abs(Cb(row[x]) - _cb[block]) + Math.Abs(Cr(row[x]) - _cr[block]);
                        pixels++;
                    }
                }
            });
            return pixels == 0 ? 0 : total / pixels;
        }

        public void Interpolate(PixelAccessor<Rgba64> rows)
        {
            for (int y = 0; y < height; y++)
            {
                var row = rows.GetRowSpan(y);
                var (by, nearY) = Neighbour(y, down, _high);
                for (int x = 0; x < width; x++)
                {
                    var (bx, nearX) = Neighbour(x, across, _wide);
                    int own = by * _wide + bx, beside = by * _wide + nearX, above = nearY * _wide + bx, corner = nearY * _wide + nearX;
                    // libjpeg's triangular filter: 3/4 of the nearest sample and 1/4 of the next, across and down (9, 3, 3, 1 sixteenths).
                    float cb = Triangle(_cb, own, beside, above, corner) - _cb[own];
                    float cr = Triangle(_cr, own, beside, above, corner) - _cr[own];
                    var p = row[x];
                    row[x] = new Rgba64(Level(p.R + RFromCr * cr), Level(p.G + GFromCb * cb + GFromCr * cr), Level(p.B + BFromCb * cb), p.A);
                }
            }
        }

        private int Block(int x, int y) => y / down * _wide + x / across;

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

        private static float Triangle(float[] c, int own, int beside, int above, int corner) =>
            (9 * c[own] + 3 * c[beside] + 3 * c[above] + c[corner]) / 16;

        private static ushort Level(float value) => (ushort)Math.Clamp(MathF.Round(value), 0, ushort.MaxValue);
    }
}
