namespace Swin2SR.Core.Quality;

/// <summary>
/// The scores of one image against its reference: PSNR and SSIM of the BT.601 luma, PSNR over RGB, all computed on
/// the Width x Height region less <see cref="Border"/> pixels on each side.
/// </summary>
public sealed record QualityScores(double PsnrY, double SsimY, double PsnrRgb, int Width, int Height, int Border);
