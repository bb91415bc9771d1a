using Swin2SR.Core.Quality;

namespace Swin2SR.Core.Tests.Quality;

public class SsimTests
{
    private const double C1 = 6.5025;   // (0.01 * 255)^2
    private const double C2 = 58.5225;  // (0.03 * 255)^2

    private static SamplePlane Plane(int width, int height, Func<int, int, double> value)
    {
        var values = new double[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                values[y * width + x] = value(x, y);
        return new SamplePlane(width, height, values);
    }

    private static SamplePlane RandomPlane(int width, int height, int seed)
    {
        var random = new Random(seed);
        return Plane(width, height, (_, _) => random.Next(256));
    }

    /// <summary>The 11-tap Gaussian, sigma 1.5, normalised: written out here from its definition.</summary>
    private static double[] Gaussian()
    {
        var g = Enumerable.Range(0, 11).Select(i => Math.Exp(-(i - 5) * (i - 5) / 4.5)).ToArray();
        double total = g.Sum();
        return g.Select(v => v / total).ToArray();
    }

    // Two constant planes have no variance, so the structure term is (0 + C2) / (0 + C2) = 1 and
    // SSIM = (2 * 100 * 110 + C1) / (100^2 + 110^2 + C1) = 22006.5025 / 22106.5025 = 0.9954764 in every window.
    [Theory]
    [InlineData(11, 11)]
    [InlineData(30, 14)]
    public void Constant_planes_score_the_luminance_term_alone(int width, int height)
    {
        double ssim = Ssim.Compute(Plane(width, height, (_, _) => 100), Plane(width, height, (_, _) => 110));
        Assert.Equal(0.9954764, ssim, 6);
    }

    // A ramp x = 50 + 10 t (t the row, or the column) and the same ramp 20 levels brighter. In a window whose first
    // line is t0 the Gaussian weights are symmetric about the centre, so the local mean is the centre value
    // m = 50 + 10 (t0 + 5) for x and m + 20 for y; both have the same variance and their covariance equals it, so the
    // structure term is 1 and each window scores (2 m (m + 20) + C1) / (m^2 + (m + 20)^2 + C1). With an 11-line ramp
    // there is one window line, m = 100: (24000 + C1) / (24400 + C1) = 0.9836109.
    [Theory]
    [InlineData(false, 11)]
    [InlineData(true, 11)]
    [InlineData(false, 16)]
    [InlineData(true, 16)]
    public void A_brighter_copy_of_a_ramp_scores_the_predicted_luminance_term(bool alongColumns, int length)
    {
        // 13 across the ramp: three windows side by side, all alike.
        int width = alongColumns ? length : 13, height = alongColumns ? 13 : length;
        Func<int, int, double> ramp = alongColumns ? (x, _) => 50 + 10 * x : (_, y) => 50 + 10 * y;
        double ssim = Ssim.Compute(Plane(width, height, ramp), Plane(width, height, (x, y) => ramp(x, y) + 20));

        double expected = Enumerable.Range(0, length - 10).Average(t0 =>
        {
            double m = 50 + 10 * (t0 + 5);
            return (2 * m * (m + 20) + C1) / (m * m + (m + 20) * (m + 20) + C1);
        });
        Assert.Equal(expected, ssim, 10);
        if (length == 11)
            Assert.Equal(0.9836109, ssim, 7);
    }

    // y = 2 x - 100 on the 11x11 ramp x = 50 + 10 * row: both means are 100, so the luminance term is 1;
    // var(y) = 4 var(x) and cov(x, y) = 2 var(x), so SSIM = (4 s + C2) / (5 s + C2) with s = var(x) = 100 V, where
    // V = sum over k of g(k) (k - 5)^2 is the variance of the normalised 11-tap Gaussian (2.2434898, a little under
    // 1.5^2 as the tails are cut): s = 224.34898 and SSIM = 0.8099168.
    [Fact]
    public void Doubling_the_contrast_scores_the_predicted_contrast_term()
    {
        var g = Gaussian();
        double v = Enumerable.Range(0, 11).Sum(k => g[k] * (k - 5) * (k - 5));
        Assert.Equal(2.2434898, v, 7);
        double s = 100 * v;
        double ssim = Ssim.Compute(Plane(11, 11, (_, y) => 50 + 10 * y), Plane(11, 11, (_, y) => 2 * (50 + 10 * y) - 100));
        Assert.Equal((4 * s + C2) / (5 * s + C2), ssim, 10);
        Assert.Equal(0.8099168, ssim, 6);
    }

    /// <summary>Straight from the definition: the full 2-D window at every valid position, the SSIM formula, the mean.</summary>
    private static double DirectSsim(SamplePlane a, SamplePlane b)
    {
        var g = Gaussian();
        double sum = 0;
        int count = 0;
        for (int top = 0; top + 11 <= a.Height; top++)
            for (int left = 0; left + 11 <= a.Width; left++)
            {
                double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
                for (int i = 0; i < 11; i++)
                    for (int j = 0; j < 11; j++)
                    {
                        double w = g[i] * g[j], x = a[top + i, left + j], y = b[top + i, left + j];
                        mx += w * x;
                        my += w * y;
                    }
                for (int i = 0; i < 11; i++)
                    for (int j = 0; j < 11; j++)
                    {
                        double w = g[i] * g[j], dx = a[top + i, left + j] - mx, dy = b[top + i, left + j] - my;
                        sxx += w * dx * dx;
                        syy += w * dy * dy;
                        sxy += w * dx * dy;
                    }
                sum += (2 * mx * my + C1) * (2 * sxy + C2) / ((mx * mx + my * my + C1) * (sxx + syy + C2));
                count++;
            }
        return sum / count;
    }

    [Theory]
    [InlineData(11, 11, 1)]
    [InlineData(23, 17, 2)]
    [InlineData(12, 40, 3)]
    public void Matches_a_direct_two_dimensional_computation(int width, int height, int seed)
    {
        var a = RandomPlane(width, height, seed);
        var smooth = Plane(width, height, (x, y) => 0.6 * a[y, x] + 40 + 30 * Math.Sin(x + y));
        Assert.Equal(DirectSsim(a, smooth), Ssim.Compute(a, smooth), 10);
        var other = RandomPlane(width, height, seed + 100);
        Assert.Equal(DirectSsim(a, other), Ssim.Compute(a, other), 10);
    }

    [Fact]
    public void An_image_against_itself_scores_exactly_one()
    {
        var a = RandomPlane(31, 20, 4);
        Assert.Equal(1.0, Ssim.Compute(a, a), 14);
    }

    [Fact]
    public void The_score_is_symmetric()
    {
        var a = RandomPlane(25, 19, 5);
        var b = Plane(25, 19, (x, y) => a[y, x] * 0.8 + 10 * Math.Cos(x * y));
        Assert.Equal(Ssim.Compute(a, b), Ssim.Compute(b, a), 12);
    }

    [Fact]
    public void The_score_falls_as_noise_grows_and_goes_negative_for_an_inverted_image()
    {
        var clean = Plane(48, 40, (x, y) => 128 + 60 * Math.Sin(x / 5.0) * Math.Cos(y / 7.0));
        var random = new Random(6);
        // One fixed field of standard normal noise (Box-Muller), scaled up step by step.
        var noise = Enumerable.Range(0, 48 * 40).Select(_ => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())).ToArray();
        double previous = 1.0;
        foreach (double sigma in new[] { 1.0, 3, 8, 20, 50 })
        {
            var noisy = Plane(48, 40, (x, y) => clean[y, x] + sigma * noise[y * 48 + x]);
            double ssim = Ssim.Compute(clean, noisy);
            Assert.True(ssim < previous, $"SSIM with noise sigma {sigma} is {ssim}, not below {previous}");
            Assert.True(ssim > 0);
            previous = ssim;
        }
        var inverted = Plane(48, 40, (x, y) => 255 - clean[y, x]);
        Assert.True(Ssim.Compute(clean, inverted) < 0);
    }

    [Fact]
    public void Planes_smaller_than_the_window_or_of_different_sizes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Ssim.Compute(RandomPlane(10, 20, 1), RandomPlane(10, 20, 2)));
        Assert.Throws<ArgumentException>(() => Ssim.Compute(RandomPlane(12, 12, 1), RandomPlane(12, 13, 2)));
    }
}
