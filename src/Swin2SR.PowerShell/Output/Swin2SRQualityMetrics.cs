namespace Swin2SR.PowerShell;

/// <summary>
/// What the quality gate measured on one output (on Invoke-Swin2SRUpscale's results and Get-Swin2SRJobItem's items).
/// </summary>
public sealed class Swin2SRQualityMetrics
{
    /// <summary>dB between the input and the output, both averaged over blocks of 4x4 input pixels, in their worst region of about 64x64 input pixels; Infinity when identical, NaN for a NaN output.</summary>
    public double ConsistencyPsnr { get; init; }

    /// <summary>NaN or infinite values in the model's output.</summary>
    public long NonFiniteValues { get; init; }

    /// <summary>Standard deviation of the input's luma, 0-255.</summary>
    public double InputDeviation { get; init; }

    /// <summary>Standard deviation of the output's luma, 0-255: near 0 means a blank output.</summary>
    public double OutputDeviation { get; init; }

    /// <summary>The output's contrast over the input's, in 4x4-pixel block means smoothed over about 8 pixels: about 1 when faithful, 0.5 when washed out; NaN for an input without such contrast (flat, or only a fine pattern).</summary>
    public double ContrastRatio { get; init; }

    /// <summary>The share of the input's colour the output keeps in its worst coloured region: about 1 when faithful, 0 when greyed, negative for swapped hues; NaN for a grey input.</summary>
    public double ChromaRetention { get; init; }

    public override string ToString() => $"consistency {ConsistencyPsnr:0.0} dB";
}
