using Swin2SR.Core.Imaging;

namespace Swin2SR.Core.Quality;

/// <summary>
/// The contrast of an output's tones against its input's (<see cref="QualityMetrics.ContrastRatio"/>): the luma of
/// the 4x4-block means of <see cref="BlockConsistency"/>, smoothed with a Gaussian of <see cref="Sigma"/> blocks, and
/// the deviation of the output's over the input's.
/// </summary>
/// <remarks>
/// Smoothed, because block means alias what is finer than a block: 1-pixel red, green and blue stripes average to a
/// different colour in each 4-pixel block, a luma ripple of 10.7 levels that only the pattern's phase makes, and the
/// embedded models' sound upscales, which soften the stripes a little, kept 0.13-0.58 of it and were refused as
/// washed out. What the check is for, a washed-out, darkened or overdriven output, scales every tone alike, the
/// broad ones too, so its ratio stays 0.5 after smoothing. The floor (<see cref="QualityGate.ContrastDeviation"/>)
/// is above the ripple fine patterns leave after smoothing: below it a ratio measures the pattern, not the tones.
/// docs/quality-gate.md has the measurements.
/// </remarks>
public static class ToneContrast
{
    /// <summary>Standard deviation of the smoothing, in blocks (8 input pixels).</summary>
    public const double Sigma = 2;

    private static readonly double[] s_kernel = MakeKernel();

    /// <returns>The ratio of the deviations; NaN when the input's smoothed luma deviates by under <see cref="QualityGate.ContrastDeviation"/>.</returns>
    public static double Ratio(PlanarImage coarseInput, PlanarImage coarseOutput)
    {
        double input = Deviation(coarseInput);
        return input >= QualityGate.ContrastDeviation ? Deviation(coarseOutput) / input : double.NaN;
    }

    /// <summary>Standard deviation (0-255) of the image's luma after smoothing.</summary>
    public static double Deviation(PlanarImage coarse)
    {
        var luma = LumaChannel.Extract(coarse, 0, 0, coarse.Width, coarse.Height);
        var smooth = Smooth(Smooth(luma.Values, coarse.Width, coarse.Height, 1, coarse.Width), coarse.Height, coarse.Width, coarse.Width, 1);
        double mean = smooth.Average();
        return Math.Sqrt(smooth.Sum(v => (v - mean) * (v - mean)) / smooth.Length);
    }

    /// <summary>
    /// Smooths <paramref name="lines"/> lines of <paramref name="length"/> values, a <paramref name="step"/> apart
    /// along a line and <paramref name="lineStep"/> between lines: rows (1, width) or columns (width, 1). At the
    /// edges the kernel is cut and renormalised, which keeps an affine change of tones exactly affine.
    /// </summary>
    private static double[] Smooth(double[] values, int length, int lines, int step, int lineStep)
    {
        var result = new double[values.Length];
        int radius = s_kernel.Length / 2;
        for (int line = 0; line < lines; line++)
        {
            for (int i = 0; i < length; i++)
            {
                double sum = 0, weight = 0;
                for (int k = Math.Max(0, i - radius); k <= Math.Min(length - 1, i + radius); k++)
                {
                    double w = s_kernel[k - i + radius];
                    sum += w * values[line * lineStep + k * step];
                    weight += w;
                }
                result[line * lineStep + i * step] = sum / weight;
            }
        }
        return result;
    }

    private static double[] MakeKernel()
    {
        int radius = (int)Math.Ceiling(3 * Sigma);
        return Enumerable.Range(-radius, 2 * radius + 1).Select(i => Math.Exp(-i * i / (2 * Sigma * Sigma))).ToArray();
    }
}
