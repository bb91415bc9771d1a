using Swin2SR.Core.Imaging;

namespace Swin2SR.Core.Quality;

/// <summary>Peak signal-to-noise ratio on a 0-255 scale: 10 log10(255^2 / MSE), +Infinity for identical samples.</summary>
public static class Psnr
{
    public const double Peak = 255.0;

    public static double FromMeanSquaredError(double mse) =>
        mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(Peak * Peak / mse);

    public static double Compute(SamplePlane reference, SamplePlane image)
    {
        if (reference.Width != image.Width || reference.Height != image.Height)
            throw new ArgumentException($"PSNR needs planes of one size, not {reference.Width}x{reference.Height} and {image.Width}x{image.Height}.");
        double sum = 0;
        for (int i = 0; i < reference.Values.Length; i++)
        {
            double d = reference.Values[i] - image.Values[i];
            sum += d * d;
        }
        return FromMeanSquaredError(sum / reference.Values.Length);
    }

    /// <summary>
    /// PSNR over the R, G and B values (0-255) of a <paramref name="width"/> x <paramref name="height"/> block at
    /// (x, y) of both images: one mean squared error over all three channels.
    /// </summary>
    public static double ComputeRgb(PlanarImage reference, PlanarImage image, int x, int y, int width, int height)
    {
        double sum = 0;
        for (int channel = 0; channel < 3; channel++)
        {
            var a = reference.Plane(channel);
            var b = image.Plane(channel);
            for (int row = 0; row < height; row++)
            {
                int ia = (y + row) * reference.Width + x;
                int ib = (y + row) * image.Width + x;
                for (int column = 0; column < width; column++)
                {
                    double d = (a[ia + column] - (double)b[ib + column]) * Peak;
                    sum += d * d;
                }
            }
        }
        return FromMeanSquaredError(sum / (3.0 * width * height));
    }
}
