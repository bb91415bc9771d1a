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
                (scale == 1 ? "their sizes must be equal" : $"their sides may differ by less than the scale ({scale}) only") +
                LikelyMixUp(referenceWidth, referenceHeight, width, height));
        var region = new ComparisonRegion(Math.Min(referenceWidth, width), Math.Min(referenceHeight, height), border);
        if (region.InnerWidth < Ssim.WindowSize || region.InnerHeight < Ssim.WindowSize)
            throw new ImageComparisonException("ImageTooSmall",
                $"{region.Width}x{region.Height} less a border of {border} pixel(s) leaves {Math.Max(0, region.InnerWidth)}x{Math.Max(0, region.InnerHeight)}, " +
                $"smaller than the {Ssim.WindowSize}x{Ssim.WindowSize} SSIM window");
        return region;
    }

    /// <summary>
    /// What a size mismatch of a whole factor most likely is, and what to do: a shop measuring its outputs against the
    /// photos it upscaled (the reference the input, not an original at the output's size), or an input measured in
    /// place of its output. Empty for other sizes.
    /// </summary>
    private static string LikelyMixUp(int referenceWidth, int referenceHeight, int width, int height)
    {
        if (WholeFactor(referenceWidth, referenceHeight, width, height) is { } smaller)
            return $". The reference is 1/{smaller} of the image's size: it looks like the input the image was upscaled from. " +
                "-Reference takes the originals at the output's size (the high-resolution images the inputs were made smaller from); " +
                "an input itself cannot tell how good its upscale is";
        if (WholeFactor(width, height, referenceWidth, referenceHeight) is { } larger)
            return $". The image is 1/{larger} of the reference's size: it looks like an input, not its upscaled output; " +
                "measure the outputs (Invoke-Swin2SRUpscale's OutputPath) against the originals";
        return "";
    }

    /// <summary>The whole factor of 2 or more that the small size times gives the large one (<paramref name="largeWidth"/> x <paramref name="largeHeight"/>), each side within the factor (a cropped side); null when none does.</summary>
    private static int? WholeFactor(int smallWidth, int smallHeight, int largeWidth, int largeHeight)
    {
        if (smallWidth < 1 || smallHeight < 1)
            return null;
        int factor = (int)Math.Round((double)largeWidth / smallWidth);
        return factor >= 2 && Math.Abs(smallWidth * factor - largeWidth) < factor && Math.Abs(smallHeight * factor - largeHeight) < factor
            ? factor : null;
    }
}
