using Swin2SR.Core.Imaging;

namespace Swin2SR.Core.Quality;

/// <summary>
/// Whether an output keeps its input's colours (<see cref="QualityMetrics.ChromaRetention"/>): in each region of
/// <see cref="BlockConsistency"/>, the mean chroma (BT.601 Cb, Cr on a 0-255 scale) of the output is projected on
/// the input's, over the input's length: 1 when the colour is kept, 0 when it is dropped to grey, negative when it
/// is turned to the opposite hue (a red and blue swap); the least over the regions whose input is coloured enough
/// (<see cref="ColouredChroma"/>) counts.
/// </summary>
/// <remarks>
/// Region means, not blocks: a model rightly removes colour noise, which is gone in the mean of a region, and a
/// projection, not a distance: a low-chroma painting greyed moved its chroma as little (29.5 dB) as a perfect
/// cleanup of JPEG quality 5 restored it, and the RGB consistency let 6 greyed and 3 swapped colour images of
/// RealSRSet through. On RealSRSet and Set5 greyed outputs retain 0.00, red and blue swapped ones -1.00 to -0.64
/// (0.71 for one whose colours lie where the swap leaves hue: not catchable); the embedded models' outputs 0.89 at
/// the least, perfect cleanups of JPEG quality 5 0.49. docs/quality-gate.md has the measurements.
/// </remarks>
public static class ChromaConsistency
{
    /// <summary>Length (0-255) of a region's mean chroma over which its colour counts: a nearly grey region's hue is noise.</summary>
    public const double ColouredChroma = 8;

    /// <returns>The least retention over the coloured regions; NaN when no region is coloured enough to tell.</returns>
    public static double Retention(PlanarImage coarseInput, PlanarImage coarseOutput, IEnumerable<(int X, int Y, int Width, int Height)> regions)
    {
        double least = double.NaN;
        foreach (var (x, y, width, height) in regions)
        {
            var (inCb, inCr) = MeanChroma(coarseInput, x, y, width, height);
            var (outCb, outCr) = MeanChroma(coarseOutput, x, y, width, height);
            double length2 = inCb * inCb + inCr * inCr;
            if (length2 < ColouredChroma * ColouredChroma)
                continue;
            double retention = (inCb * outCb + inCr * outCr) / length2;
            if (!(retention >= least))
                least = retention;
        }
        return least;
    }

    /// <summary>BT.601 Cb and Cr less their offset of 128, averaged over the region (block means are already in [0,1]).</summary>
    private static (double Cb, double Cr) MeanChroma(PlanarImage image, int x, int y, int width, int height)
    {
        var r = image.Plane(0);
        var g = image.Plane(1);
        var b = image.Plane(2);
        double cb = 0, cr = 0;
        for (int row = y; row < y + height; row++)
        {
            for (int i = row * image.Width + x; i < row * image.Width + x + width; i++)
            {
                cb += -37.797 * r[i] - 74.203 * g[i] + 112.0 * b[i];
                cr += 112.0 * r[i] - 93.786 * g[i] - 18.214 * b[i];
            }
        }
        double count = (double)width * height;
        return (cb / count, cr / count);
    }
}
