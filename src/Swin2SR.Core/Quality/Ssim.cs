namespace Swin2SR.Core.Quality;

/// <summary>
/// Structural similarity as super-resolution papers compute it (Wang et al. 2004, in the form of SwinIR/Swin2SR's
/// <c>_ssim</c>): an 11x11 Gaussian window (sigma 1.5) at every position where it fits entirely inside the image
/// ("valid" filtering, no padding), C1 = (0.01 * 255)^2 and C2 = (0.03 * 255)^2 for values on a 0-255 scale, and
/// the mean of the SSIM map.
/// </summary>
public static class Ssim
{
    public const int WindowSize = 11;
    public const double Sigma = 1.5;
    public const double C1 = 0.01 * 255 * (0.01 * 255);
    public const double C2 = 0.03 * 255 * (0.03 * 255);

    // The five local statistics: E[x], E[y], E[x^2], E[y^2], E[xy].
    private const int Statistics = 5;

    /// <summary>OpenCV's getGaussianKernel(11, 1.5): exp(-(i-5)^2 / (2 sigma^2)) for i = 0..10, normalised to sum 1.</summary>
    private static readonly double[] s_kernel = MakeKernel();

    /// <summary>
    /// The 2-D window is the outer product of the 1-D kernel, so each row is filtered horizontally once, and the
    /// last 11 filtered rows (a ring) are combined vertically: memory stays a few rows, whatever the image height.
    /// </summary>
    public static double Compute(SamplePlane reference, SamplePlane image)
    {
        if (reference.Width != image.Width || reference.Height != image.Height)
            throw new ArgumentException($"SSIM needs planes of one size, not {reference.Width}x{reference.Height} and {image.Width}x{image.Height}.");
        if (reference.Width < WindowSize || reference.Height < WindowSize)
            throw new ArgumentException($"SSIM needs at least {WindowSize}x{WindowSize} pixels (its window), not {reference.Width}x{reference.Height}.");

        int width = reference.Width, height = reference.Height;
        int outWidth = width - WindowSize + 1, outHeight = height - WindowSize + 1;
        var ring = new double[Statistics][];
        for (int s = 0; s < Statistics; s++)
            ring[s] = new double[WindowSize * outWidth];
        var local = new double[Statistics];

        double sum = 0;
        for (int row = 0; row < height; row++)
        {
            FilterRow(reference.Values, image.Values, row * width, ring, row % WindowSize * outWidth, outWidth);
            if (row < WindowSize - 1)
                continue;
            int top = row - WindowSize + 1;
            for (int column = 0; column < outWidth; column++)
            {
                for (int s = 0; s < Statistics; s++)
                {
                    double value = 0;
                    for (int k = 0; k < WindowSize; k++)
                        value += s_kernel[k] * ring[s][(top + k) % WindowSize * outWidth + column];
                    local[s] = value;
                }
                sum += Index(local[0], local[1], local[2], local[3], local[4]);
            }
        }
        return sum / ((double)outWidth * outHeight);
    }

    /// <summary>The SSIM of one window from its local means and second moments.</summary>
    private static double Index(double meanX, double meanY, double meanXX, double meanYY, double meanXY)
    {
        double varianceX = meanXX - meanX * meanX;
        double varianceY = meanYY - meanY * meanY;
        double covariance = meanXY - meanX * meanY;
        return (2 * meanX * meanY + C1) * (2 * covariance + C2) / ((meanX * meanX + meanY * meanY + C1) * (varianceX + varianceY + C2));
    }

    private static void FilterRow(double[] x, double[] y, int rowStart, double[][] ring, int slotStart, int outWidth)
    {
        for (int column = 0; column < outWidth; column++)
        {
            double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
            int start = rowStart + column;
            for (int k = 0; k < WindowSize; k++)
            {
                double w = s_kernel[k], a = x[start + k], b = y[start + k];
                sx += w * a;
                sy += w * b;
                sxx += w * a * a;
                syy += w * b * b;
                sxy += w * a * b;
            }
            int i = slotStart + column;
            ring[0][i] = sx;
            ring[1][i] = sy;
            ring[2][i] = sxx;
            ring[3][i] = syy;
            ring[4][i] = sxy;
        }
    }

    private static double[] MakeKernel()
    {
        var kernel = new double[WindowSize];
        int centre = WindowSize / 2;
        for (int i = 0; i < WindowSize; i++)
            kernel[i] = Math.Exp(-(i - centre) * (i - centre) / (2 * Sigma * Sigma));
        double total = kernel.Sum();
        for (int i = 0; i < WindowSize; i++)
            kernel[i] /= total;
        return kernel;
    }
}
