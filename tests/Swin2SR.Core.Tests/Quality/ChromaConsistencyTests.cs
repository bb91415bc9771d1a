using Swin2SR.Core.Imaging;
using Swin2SR.Core.Quality;

namespace Swin2SR.Core.Tests.Quality;

public class ChromaConsistencyTests
{
    /// <summary>
    /// A softly coloured picture (a warm tint, texture in the luma only): muted enough that greying it or swapping
    /// its red and blue keeps the RGB consistency above the default threshold, as on the painting of RealSRSet.
    /// </summary>
    private static PlanarImage Tinted(int width, int height, float red = 0.50f, float green = 0.45f, float blue = 0.40f)
    {
        var image = new PlanarImage(width, height);
        float[] tint = [red, green, blue];
        for (int c = 0; c < 3; c++)
        {
            var plane = image.Plane(c);
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    plane[y * width + x] = tint[c] + 0.05f * MathF.Sin(x / 3f) * MathF.Cos(y / 5f);
        }
        return image;
    }

    /// <summary>A nearest-neighbour upscale whose colours <paramref name="recolour"/> maps (r, g, b) to (r, g, b).</summary>
    private static PlanarImage Upscaled(PlanarImage input, int scale, Func<float, float, float, (float R, float G, float B)> recolour)
    {
        var output = new PlanarImage(input.Width * scale, input.Height * scale);
        for (int y = 0; y < output.Height; y++)
        {
            for (int x = 0; x < output.Width; x++)
            {
                int i = y / scale * input.Width + x / scale, o = y * output.Width + x;
                var (r, g, b) = recolour(input.Plane(0)[i], input.Plane(1)[i], input.Plane(2)[i]);
                output.Plane(0)[o] = r;
                output.Plane(1)[o] = g;
                output.Plane(2)[o] = b;
            }
        }
        return output;
    }

    private static (float, float, float) Grey(float r, float g, float b)
    {
        float luma = 0.299f * r + 0.587f * g + 0.114f * b;
        return (luma, luma, luma);
    }

    [Fact]
    public void A_faithful_upscale_keeps_all_its_colour_and_passes()
    {
        var input = Tinted(96, 80);
        var metrics = QualityGate.Measure(input, Upscaled(input, 2, (r, g, b) => (r, g, b)), 2);
        Assert.Equal(1, metrics.ChromaRetention, 3);
        Assert.Null(QualityGate.FindFailure(metrics, QualityGate.DefaultMinConsistencyPsnr));
    }

    [Fact]
    public void A_greyed_output_of_a_coloured_picture_fails_on_colour_though_its_blocks_are_close()
    {
        var input = Tinted(96, 80);
        var metrics = QualityGate.Measure(input, Upscaled(input, 2, Grey), 2);

        Assert.InRange(metrics.ConsistencyPsnr, QualityGate.DefaultMinConsistencyPsnr + 3, 60);
        Assert.Equal(0, metrics.ChromaRetention, 2);
        var failure = QualityGate.FindFailure(metrics, QualityGate.DefaultMinConsistencyPsnr);
        Assert.Contains("keeps 0.00 of its input's colour", failure);
        Assert.Contains("under 0.25 (-MinConsistencyPsnr 0 turns this check off", failure);
        Assert.Null(QualityGate.FindFailure(metrics, 0));
    }

    [Fact]
    public void An_output_with_red_and_blue_swapped_fails_on_colour_though_its_blocks_are_close()
    {
        var input = Tinted(96, 80);
        var metrics = QualityGate.Measure(input, Upscaled(input, 4, (r, g, b) => (b, g, r)), 4);

        Assert.InRange(metrics.ConsistencyPsnr, QualityGate.DefaultMinConsistencyPsnr, 60);
        Assert.True(metrics.ChromaRetention < 0, $"retention {metrics.ChromaRetention}");
        Assert.Contains("negative a swapped hue", QualityGate.FindFailure(metrics, QualityGate.DefaultMinConsistencyPsnr));
    }

    [Fact]
    public void A_grey_input_has_no_colour_to_judge_and_passes_whatever_the_output_colour()
    {
        var input = Tinted(96, 80, 0.45f, 0.45f, 0.45f);
        var metrics = QualityGate.Measure(input, Upscaled(input, 2, (r, g, b) => (r + 0.02f, g, b - 0.02f)), 2);
        Assert.True(double.IsNaN(metrics.ChromaRetention));
        Assert.Null(QualityGate.FindFailure(metrics, QualityGate.DefaultMinConsistencyPsnr));
    }

    [Fact]
    public void A_record_journaled_before_the_colour_check_reads_as_not_measured()
    {
        var older = QualityMetrics.FromJson("""{"ConsistencyPsnr":41.5,"NonFiniteValues":0,"InputDeviation":30,"OutputDeviation":29,"ContrastRatio":1}""")!;
        Assert.True(double.IsNaN(older.ChromaRetention));
        Assert.Null(QualityGate.FindFailure(older, QualityGate.DefaultMinConsistencyPsnr));
    }
}
