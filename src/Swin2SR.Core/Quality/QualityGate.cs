using Swin2SR.Core.Imaging;

namespace Swin2SR.Core.Quality;

/// <summary>
/// The automatic checks on an output before it is written: no NaN or infinity, not blank when the input is
/// not, and consistent with its input (in 4x4 blocks, region by region: see <see cref="BlockConsistency"/>). An
/// output that fails is not written as a success.
/// </summary>
public static class QualityGate
{
    /// <summary>
    /// The default -MinConsistencyPsnr (dB), from measurements on the 25 real images of RealSRSet
    /// (docs/quality-gate.md): the embedded models' outputs score 34.6 dB at the worst (median 51-52); broken
    /// outputs (a black or noise tile, noise, inverted, half brightness) 16.9 dB at most; a perfect cleanup of
    /// heavy noise (sigma 50) 22.0 dB at the least, of JPEG quality 10 23.8. 20 dB sits between the broken and the
    /// sound, with 2 dB to spare for the heaviest cleanup.
    /// </summary>
    public const double DefaultMinConsistencyPsnr = 20;

    /// <summary>
    /// The least ratio of output to input contrast (the luma deviation of their smoothed 4x4-block means, <see cref="ToneContrast"/>) an output may have,
    /// and the inverse the most. On RealSRSet (docs/quality-gate.md) sound outputs, cleanups included, kept 0.98-1.17
    /// of their input's contrast before the smoothing, and 0.82 on the product's worst generated case (salt-and-pepper
    /// noise removed); smoothed, the embedded models' outputs keep 1.00-1.01 on RealSRSet, Set5, BSD100 and Urban100,
    /// 0.73 at the least on 129 generated images (an ordered 3-bit dither); washed-out and half-bright outputs keep
    /// 0.50, which a consistency PSNR of up to 21.8 dB lets through.
    /// </summary>
    public const double MinContrastRatio = 2.0 / 3;

    /// <summary>
    /// The least share of a coloured region's mean chroma an output must keep (<see cref="ChromaConsistency"/>). On
    /// RealSRSet and Set5 (docs/quality-gate.md) greyed outputs keep 0.00, red and blue swapped ones below 0 (but
    /// one); the embedded models' outputs 0.89 at the least, perfect cleanups of JPEG quality 5 0.49 (the lowest legitimate figure).
    /// </summary>
    public const double MinChromaRetention = 0.25;

    /// <summary>Luma deviation (0-255) under which an output counts as flat.</summary>
    public const double BlankDeviation = 0.5;

    /// <summary>Luma deviation (0-255) over which an input counts as having content whose loss would be a failure.</summary>
    public const double ContentDeviation = 2;

    /// <summary>
    /// Deviation (0-255) of an input's smoothed block luma (<see cref="ToneContrast"/>) from which its contrast ratio
    /// is judged: under it the ratio of two small figures measures fine patterns, not tones.
    /// </summary>
    public const double ContrastDeviation = 4;

    public static QualityMetrics Measure(PlanarImage input, PlanarImage output, int scale)
    {
        long nonFinite = 0;
        foreach (float value in output.Data)
        {
            if (!float.IsFinite(value))
                nonFinite++;
        }
        if (nonFinite > 0)
            return new QualityMetrics(double.NaN, nonFinite, LumaChannel.Deviation(input), double.NaN);
        var (consistency, contrast, chroma) = BlockConsistency.Measure(input, output, scale);
        return new QualityMetrics(consistency, nonFinite, LumaChannel.Deviation(input), LumaChannel.Deviation(output), contrast, chroma);
    }

    /// <summary>Null when the output passes; otherwise why it fails, in words for the error message.</summary>
    public static string? FindFailure(QualityMetrics metrics, double minConsistencyPsnr)
    {
        if (metrics.NonFiniteValues > 0)
            return $"the model's output holds {metrics.NonFiniteValues} NaN or infinite values (a numeric overflow: try fp32)";
        if (metrics.OutputDeviation < BlankDeviation && metrics.InputDeviation >= ContentDeviation)
            return $"the output is blank (luma deviation {metrics.OutputDeviation:0.00}, under {BlankDeviation:0.0}) although the input is not ({metrics.InputDeviation:0.0})";
        if (metrics.ConsistencyPsnr < minConsistencyPsnr)
            return $"the output does not match the input (both averaged over {BlockConsistency.Block}x{BlockConsistency.Block}-pixel blocks, in its worst {BlockConsistency.Region}-pixel region): consistency PSNR {metrics.ConsistencyPsnr:0.0} dB is below {minConsistencyPsnr:0.#} dB (-MinConsistencyPsnr)";
        // Part of the consistency check: -MinConsistencyPsnr 0 turns both off.
        if (minConsistencyPsnr > 0 && metrics.ContrastRatio is < MinContrastRatio or > 1 / MinContrastRatio)
            return $"the output's contrast is {metrics.ContrastRatio:0.00} times the input's (their tones: {BlockConsistency.Block}x{BlockConsistency.Block}-pixel block means smoothed over about {ToneContrast.Sigma * BlockConsistency.Block:0} pixels), outside {MinContrastRatio:0.00} to {1 / MinContrastRatio:0.00}: washed out, darkened or overdriven (-MinConsistencyPsnr 0 turns this check off with the consistency check)";
        if (minConsistencyPsnr > 0 && metrics.ChromaRetention < MinChromaRetention)
            // Rounded, plus 0.0, so that a greyed output (a tiny negative) reads 0.00, not -0.00.
            return $"the output keeps {Math.Round(metrics.ChromaRetention, 2) + 0.0:0.00} of its input's colour in its worst coloured region (mean chroma of about {BlockConsistency.Region}-pixel regions; 0 is grey, negative a swapped hue such as red for blue), under {MinChromaRetention:0.00} (-MinConsistencyPsnr 0 turns this check off with the consistency check)";
        return null;
    }
}
