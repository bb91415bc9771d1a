using Swin2SR.Core.Imaging;

namespace Swin2SR.Core.Quality;

/// <summary>
/// The automatic checks on an output before it is written: no NaN or infinity, not blank when the input is
/// not, and consistent with its input (shrunk back by the scale, it must resemble the input in 4x4 blocks: see
/// <see cref="QualityMetrics.ConsistencyPsnr"/>). An output that fails is not written as a success.
/// </summary>
public static class QualityGate
{
    /// <summary>
    /// The default -MinConsistencyPsnr (dB), from measurements on the 25 real images of RealSRSet
    /// (docs/quality-gate.md): the embedded models' outputs score 41 dB at the worst (median 52-55); outputs
    /// broken as a whole (noise, inverted, half brightness) 16.6 dB at most, one black 128-pixel tile 20.4 dB at
    /// most on the largest images; a perfect cleanup of heavy noise (sigma 50) or of JPEG quality 10 24 dB at the
    /// least. 20 dB sits between the broken and the sound with about 4 dB to spare on either side.
    /// </summary>
    public const double DefaultMinConsistencyPsnr = 20;

    /// <summary>
    /// The consistency is measured on means of <see cref="ComparisonBlock"/> x <see cref="ComparisonBlock"/>
    /// input pixels, not pixel by pixel: a model may rightly drop what is finer than that (it denoises,
    /// removes JPEG blocks, smooths film grain, and no model can recover pure noise), but the picture at that
    /// scale (its tones, colours, shapes, every tile of it) must stay. Compared pixel by pixel, a perfect
    /// cleanup of a photo with noise of sigma 50 scored 14.5 dB and the embedded model's upscale of a noise
    /// texture 16.6 dB, refused by any useful threshold; in 4x4 blocks they score 24 and 35 dB, while broken
    /// outputs score at most 2 dB higher than pixel by pixel (a noise tile in a large image up to 4 dB: noise
    /// averages towards grey).
    /// </summary>
    public const int ComparisonBlock = 4;

    /// <summary>Luma deviation (0-255) under which an output counts as flat.</summary>
    public const double BlankDeviation = 0.5;

    /// <summary>Luma deviation (0-255) over which an input counts as having content whose loss would be a failure.</summary>
    public const double ContentDeviation = 2;

    public static QualityMetrics Measure(PlanarImage input, PlanarImage output, int scale)
    {
        long nonFinite = 0;
        foreach (float value in output.Data)
        {
            if (!float.IsFinite(value))
                nonFinite++;
        }
        double consistency = nonFinite > 0
            ? double.NaN
            : Consistency(input, output, scale);
        return new QualityMetrics(consistency, nonFinite, LumaDeviation(input), nonFinite > 0 ? double.NaN : LumaDeviation(output));
    }

    /// <summary>PSNR of the input and the output in blocks of <see cref="ComparisonBlock"/> input pixels (fewer along a side shorter than that).</summary>
    private static double Consistency(PlanarImage input, PlanarImage output, int scale)
    {
        int blockX = Math.Min(ComparisonBlock, input.Width), blockY = Math.Min(ComparisonBlock, input.Height);
        var coarseInput = AreaDownscale.Shrink(input, blockX, blockY);
        var coarseOutput = AreaDownscale.Shrink(output, blockX * scale, blockY * scale);
        return Psnr.ComputeRgb(coarseInput, coarseOutput, 0, 0, coarseInput.Width, coarseInput.Height);
    }

    /// <summary>Null when the output passes; otherwise why it fails, in words for the error message.</summary>
    public static string? FindFailure(QualityMetrics metrics, double minConsistencyPsnr)
    {
        if (metrics.NonFiniteValues > 0)
            return $"the model's output holds {metrics.NonFiniteValues} NaN or infinite values (a numeric overflow: try fp32)";
        if (metrics.OutputDeviation < BlankDeviation && metrics.InputDeviation >= ContentDeviation)
            return $"the output is blank (luma deviation {metrics.OutputDeviation:0.00}) although the input is not ({metrics.InputDeviation:0.0})";
        if (metrics.ConsistencyPsnr < minConsistencyPsnr)
            return $"the output does not match the input (both averaged over {ComparisonBlock}x{ComparisonBlock}-pixel blocks): consistency PSNR {metrics.ConsistencyPsnr:0.0} dB is below {minConsistencyPsnr:0.#} dB (-MinConsistencyPsnr)";
        return null;
    }

    /// <summary>Standard deviation of the BT.601 luma on a 0-255 scale, in one pass (Welford's update, stable for large images).</summary>
    private static double LumaDeviation(PlanarImage image)
    {
        var r = image.Plane(0);
        var g = image.Plane(1);
        var b = image.Plane(2);
        double mean = 0, m2 = 0;
        for (int i = 0; i < r.Length; i++)
        {
            double y = LumaChannel.FromRgb(Math.Clamp(r[i], 0f, 1f), Math.Clamp(g[i], 0f, 1f), Math.Clamp(b[i], 0f, 1f));
            double delta = y - mean;
            mean += delta / (i + 1);
            m2 += delta * (y - mean);
        }
        return Math.Sqrt(m2 / r.Length);
    }
}
