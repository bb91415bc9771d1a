using Swin2SR.Core.Imaging;

namespace Swin2SR.Core.Quality;

/// <summary>
/// Scores an image against its reference by the standard super-resolution protocol: common region (see
/// <see cref="ComparisonRegion"/>), <c>border</c> pixels cropped from each side (by convention the scale), then
/// PSNR and SSIM of the Y channel (<see cref="LumaChannel"/>) and PSNR over RGB.
/// </summary>
public static class ImageQuality
{
    public static QualityScores Compare(PlanarImage reference, PlanarImage image, int scale, int border)
    {
        var region = ComparisonRegion.Plan(reference.Width, reference.Height, image.Width, image.Height, scale, border);
        int w = region.InnerWidth, h = region.InnerHeight;
        var referenceY = LumaChannel.Extract(reference, border, border, w, h);
        var imageY = LumaChannel.Extract(image, border, border, w, h);
        return new QualityScores(
            Psnr.Compute(referenceY, imageY),
            Ssim.Compute(referenceY, imageY),
            Psnr.ComputeRgb(reference, image, border, border, w, h),
            region.Width,
            region.Height,
            border);
    }

    /// <summary>
    /// Decodes both files with the engine's loader (EXIF orientation applied) and compares them. Every problem is an
    /// <see cref="ImageInputException"/> naming the file: the loader's for a missing or undecodable file, and
    /// SizeMismatch or ImageTooSmall (against <paramref name="path"/>) for images that cannot be compared.
    /// </summary>
    public static QualityScores CompareFiles(ImageLoader loader, string referencePath, string path, int scale, int border) =>
        CompareFile(loader.Load(referencePath, scale: 1).Pixels, referencePath, loader, path, scale, border);

    /// <summary>
    /// <see cref="CompareFiles"/> with the reference already decoded: one reference compared with many images is
    /// decoded once.
    /// </summary>
    public static QualityScores CompareFile(PlanarImage reference, string referencePath, ImageLoader loader, string path, int scale, int border)
    {
        var image = loader.Load(path, scale: 1).Pixels;
        try
        {
            return Compare(reference, image, scale, border);
        }
        catch (ImageComparisonException e)
        {
            throw new ImageInputException(e.ErrorId, ImageErrorKind.InvalidData, path, $"{e.Message} (reference '{referencePath}')", e);
        }
    }
}
