using Swin2SR.Core.Imaging;

namespace Swin2SR.Core.Quality;

/// <summary>
/// The Y (luma) channel of ITU-R BT.601 YCbCr in the 16-235 "studio" range, on a 0-255 scale: MATLAB's
/// rgb2ycbcr, which super-resolution papers (and SwinIR/Swin2SR's <c>calculate_psnr(..., test_y_channel=True)</c>)
/// score on. For R, G, B in [0,1]: Y = 16 + 65.481 R + 128.553 G + 24.966 B, so black is 16 and white is 235
/// (the three weights sum to 219). Values are not rounded to integers, as in the Python reference code.
/// </summary>
public static class LumaChannel
{
    public const double Offset = 16.0;
    public const double RedWeight = 65.481;
    public const double GreenWeight = 128.553;
    public const double BlueWeight = 24.966;

    public static double FromRgb(double red, double green, double blue) =>
        Offset + RedWeight * red + GreenWeight * green + BlueWeight * blue;

    /// <summary>The Y values of a <paramref name="width"/> x <paramref name="height"/> block whose top-left pixel is (x, y).</summary>
    public static SamplePlane Extract(PlanarImage image, int x, int y, int width, int height)
    {
        var values = new double[width * height];
        var r = image.Plane(0);
        var g = image.Plane(1);
        var b = image.Plane(2);
        for (int row = 0; row < height; row++)
        {
            int source = (y + row) * image.Width + x;
            int target = row * width;
            for (int column = 0; column < width; column++)
                values[target + column] = FromRgb(r[source + column], g[source + column], b[source + column]);
        }
        return new SamplePlane(width, height, values);
    }

    /// <summary>Standard deviation of the luma on a 0-255 scale, values clamped to [0,1] first, in one pass (Welford's update, stable for large images).</summary>
    public static double Deviation(PlanarImage image)
    {
        var r = image.Plane(0);
        var g = image.Plane(1);
        var b = image.Plane(2);
        double mean = 0, m2 = 0;
        for (int i = 0; i < r.Length; i++)
        {
            double y = FromRgb(Math.Clamp(r[i], 0f, 1f), Math.Clamp(g[i], 0f, 1f), Math.Clamp(b[i], 0f, 1f));
            double delta = y - mean;
            mean += delta / (i + 1);
            m2 += delta * (y - mean);
        }
        return Math.Sqrt(m2 / r.Length);
    }
}
