using Swin2SR.Core.Imaging;

namespace Swin2SR.Core.Quality;

/// <summary>
/// Shrinks an image by an integer factor with an area (box) filter: each output pixel is the mean of the
/// factor x factor block it covers. Values are clamped to [0,1] first, as the written output will be.
/// </summary>
public static class AreaDownscale
{
    public static PlanarImage Shrink(PlanarImage image, int factor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        if (image.Width % factor != 0 || image.Height % factor != 0)
            throw new ArgumentException($"{image.Width}x{image.Height} is not a multiple of {factor}.", nameof(image));
        int width = image.Width / factor, height = image.Height / factor;
        var small = new PlanarImage(width, height);
        float area = factor * factor;
        for (int c = 0; c < 3; c++)
        {
            var source = image.Plane(c);
            var target = small.Plane(c);
            for (int y = 0; y < image.Height; y++)
            {
                var row = source.Slice(y * image.Width, image.Width);
                var sums = target.Slice(y / factor * width, width);
                for (int x = 0; x < row.Length; x++)
                    sums[x / factor] += Math.Clamp(row[x], 0f, 1f);
            }
            for (int i = 0; i < target.Length; i++)
                target[i] /= area;
        }
        return small;
    }
}
