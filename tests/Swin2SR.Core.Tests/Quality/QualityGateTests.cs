using Swin2SR.Core.Imaging;
using Swin2SR.Core.Quality;

namespace Swin2SR.Core.Tests.Quality;

public sealed class QualityGateTests
{
    private static PlanarImage Textured(int width, int height, int seed)
    {
        var random = new Random(seed);
        var image = new PlanarImage(width, height);
        for (int i = 0; i < image.Data.Length; i++)
            image.Data[i] = random.NextSingle();
        return image;
    }

    private static PlanarImage Nearest(PlanarImage input, int scale)
    {
        var output = new PlanarImage(input.Width * scale, input.Height * scale);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < output.Height; y++)
                for (int x = 0; x < output.Width; x++)
                    output[c, y, x] = input[c, y / scale, x / scale];
        return output;
    }

    [Fact]
    public void Area_downscaling_averages_each_block()
    {
        var image = new PlanarImage(4, 2);
        new float[] { 0f, 1f, 0.5f, 0.5f, 1f, 0f, 0.25f, 0.75f }.CopyTo(image.Plane(0));
        var small = AreaDownscale.Shrink(image, 2);
        Assert.Equal([0.5f, 0.5f], small.Plane(0).ToArray());
    }

    [Fact]
    public void A_faithful_upscale_is_consistent_and_passes()
    {
        var input = Textured(16, 12, 1);
        var metrics = QualityGate.Measure(input, Nearest(input, 4), 4);
        // Exact but for float rounding in the block sums: far above any threshold.
        Assert.InRange(metrics.ConsistencyPsnr, 100, double.PositiveInfinity);
        Assert.Equal(0, metrics.NonFiniteValues);
        Assert.Null(QualityGate.FindFailure(metrics, QualityGate.DefaultMinConsistencyPsnr));
    }

    [Fact]
    public void Non_finite_values_fail()
    {
        var input = Textured(8, 8, 2);
        var output = Nearest(input, 2);
        output[1, 3, 3] = float.NaN;
        output[2, 4, 4] = float.PositiveInfinity;
        var metrics = QualityGate.Measure(input, output, 2);
        Assert.Equal(2, metrics.NonFiniteValues);
        Assert.Contains("NaN", QualityGate.FindFailure(metrics, 0));
    }

    [Fact]
    public void A_blank_output_from_a_textured_input_fails_but_a_flat_input_may_give_a_flat_output()
    {
        var input = Textured(8, 8, 3);
        var black = new PlanarImage(16, 16);
        var metrics = QualityGate.Measure(input, black, 2);
        Assert.Equal(0, metrics.OutputDeviation);
        Assert.Contains("blank", QualityGate.FindFailure(metrics, 0));

        var flat = new PlanarImage(8, 8);
        Assert.Null(QualityGate.FindFailure(QualityGate.Measure(flat, new PlanarImage(16, 16), 2), QualityGate.DefaultMinConsistencyPsnr));
    }

    [Fact]
    public void An_output_that_does_not_shrink_back_to_its_input_fails_the_consistency_check()
    {
        var input = Textured(16, 16, 4);
        var other = Nearest(Textured(16, 16, 5), 2);
        var metrics = QualityGate.Measure(input, other, 2);
        // Two independent uniform noises: MSE = 2 * 255^2 / 12, PSNR = 10 log10(6) = 7.8 dB, give or take sampling.
        Assert.InRange(metrics.ConsistencyPsnr, 6.5, 9.5);
        Assert.Contains("-MinConsistencyPsnr", QualityGate.FindFailure(metrics, QualityGate.DefaultMinConsistencyPsnr));
    }

    [Fact]
    public void Metrics_round_trip_through_json_with_infinity_and_nan()
    {
        var metrics = new QualityMetrics(double.PositiveInfinity, 0, 12.5, 12.25);
        Assert.Equal(metrics, QualityMetrics.FromJson(metrics.ToJson()));
        var broken = QualityMetrics.FromJson(new QualityMetrics(double.NaN, 3, 1, double.NaN).ToJson())!;
        Assert.True(double.IsNaN(broken.ConsistencyPsnr));
        Assert.Null(QualityMetrics.FromJson("not json"));
    }
}
