using Swin2SR.Core.Quality;

namespace Swin2SR.PowerShell.Commands;

/// <summary>The engine's quality metrics as the PowerShell-side object (engine types stay in the bridge classes).</summary>
internal static class QualityMetricsOutput
{
    public static Swin2SRQualityMetrics? From(QualityMetrics? metrics) => metrics is null ? null : new()
    {
        ConsistencyPsnr = metrics.ConsistencyPsnr,
        NonFiniteValues = metrics.NonFiniteValues,
        InputDeviation = metrics.InputDeviation,
        OutputDeviation = metrics.OutputDeviation,
        ContrastRatio = metrics.ContrastRatio,
        ChromaRetention = metrics.ChromaRetention,
    };

    /// <summary>From the journal's JSON column.</summary>
    public static Swin2SRQualityMetrics? FromJson(string? json) => From(QualityMetrics.FromJson(json));
}
