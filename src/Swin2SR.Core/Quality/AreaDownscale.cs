using Swin2SR.Core.Imaging;

namespace Swin2SR.Core.Quality;

/// <summary>
/// Shrinks an image with an area (box) filter: each output pixel is the mean of the
/// <c>factorX</c> x <c>factorY</c> block it covers. Trailing columns and rows that do not fill a block are left
/// out, so that an image and its s-times upscale shrink to the same grid. Values are clamped to [0,1] first, as
/// the written output will be.
/// </summary>
public static class AreaDownscale
{
    public static PlanarImage Shrink(PlanarImage image, int factorX, int factorY)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factorX, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(factorY, 1);
        int width = image.Width / factorX, height = image.Height / factorY;
        if (width == 0 || height == 0)
            throw new ArgumentException($"{image.Width}x{image.Height} holds no whole {factorX}x{factorY} block.", nameof(image));
        var small = new PlanarImage(width, height);
        float area = factorX * factorY;
        for (int c = 0; c < 3; c++)
        {
            var source = image.Plane(c);
            var target = small.Plane(c);
            for (int y = 0; y < height * factorY; y++)
            {
                var row = source.Slice(y * image.Width, width * factorX);
                var sums = target.Slice(y / factorY * width, width);
                for (int x = 0; x < row.Length; x++)
                    sums[x / factorX] += Math.Clamp(row[x], 0f, 1f);
            }
            for (int i = 0; i < target.Length; i++)
                target[i] /= area;
        }
        return small;
    }
}
