namespace Swin2SR.Core.Quality;

/// <summary>
/// Where two images are compared: their common top-left Width x Height block, less <see cref="Border"/> pixels on
/// every side. A super-resolved image is a multiple of the scale while its ground truth may not be (a 255-pixel
/// HR side gives a 63-pixel LR side at x4, so a 252-pixel output), so sizes may differ by less than the scale:
/// the reference is then cropped to the output, as the standard protocol crops HR to a multiple of the scale.
/// </summary>
public readonly record struct ComparisonRegion(int Width, int Height, int Border)
{
    public int InnerWidth => Width - 2 * Border;
    public int InnerHeight => Height - 2 * Border;

    public static ComparisonRegion Plan(int referenceWidth, int referenceHeight, int width, int height, int scale, int border)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(border);
        if (Math.Abs(referenceWidth - width) >= scale || Math.Abs(referenceHeight - height) >= scale)
            throw new ImageComparisonException("SizeMismatch",
                $"the image is {width}x{height} and the reference {referenceWidth}x{referenceHeight}: " +
                (scale == 1 ? "their sizes must be equal" : $"their sides may differ by less than the scale ({scale}) only"));
        var region = new ComparisonRegion(Math.Min(referenceWidth, width), Math.Min(referenceHeight, height), border);
        if (region.InnerWidth < Ssim.WindowSize || region.InnerHeight < Ssim.WindowSize)
            throw new ImageComparisonException("ImageTooSmall",
                $"{region.Width}x{region.Height} less a border of {border} pixel(s) leaves {Math.Max(0, region.InnerWidth)}x{Math.Max(0, region.InnerHeight)}, " +
                $"smaller than the {Ssim.WindowSize}x{Ssim.WindowSize} SSIM window");
        return region;
    }
}
