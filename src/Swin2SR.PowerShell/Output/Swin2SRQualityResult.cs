namespace Swin2SR.PowerShell;

/// <summary>
/// What Measure-Swin2SRQuality writes for each image compared with its reference (format view:
/// Swin2SR.PowerShell.Format.ps1xml). Width and Height are the compared region before the border is cut off.
/// </summary>
public sealed class Swin2SRQualityResult
{
    public string Reference { get; init; } = "";
    public string Path { get; init; } = "";

    /// <summary>PSNR of the BT.601 luma (16-235 range), in dB; +Infinity for identical images.</summary>
    public double PsnrY { get; init; }

    /// <summary>SSIM of the BT.601 luma (11x11 Gaussian window, sigma 1.5); 1 for identical images.</summary>
    public double SsimY { get; init; }

    /// <summary>PSNR over the R, G and B values, in dB.</summary>
    public double PsnrRgb { get; init; }

    public int Width { get; init; }
    public int Height { get; init; }
    public int Border { get; init; }

    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>The measured image's folder: what tells two models' outputs of one name apart (out-a\bird.png, out-b\bird.png).</summary>
    public string Directory => System.IO.Path.GetDirectoryName(Path) ?? "";

    public override string ToString() => $"{Name}: PSNR(Y) {PsnrY:0.00} dB, SSIM(Y) {SsimY:0.0000}";
}
