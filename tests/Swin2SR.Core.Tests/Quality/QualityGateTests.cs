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
    public void Area_downscaling_averages_each_block_and_leaves_out_the_partial_ones()
    {
        var image = new PlanarImage(5, 3);
        new float[] { 0f, 1f, 0.5f, 0.5f, 9f, 1f, 0f, 0.25f, 0.75f, 9f, 9f, 9f, 9f, 9f, 9f }.CopyTo(image.Plane(0));
        var small = AreaDownscale.Shrink(image, 2, 2);
        Assert.Equal((2, 1), (small.Width, small.Height));
        Assert.Equal([0.5f, 0.5f], small.Plane(0).ToArray());

        var columns = AreaDownscale.Shrink(image, 1, 3);
        // Values are clamped to [0,1] as the written output will be: the 9s count as 1.
        Assert.Equal([2 / 3f, 2 / 3f, 1.75f / 3, 2.25f / 3, 1f], columns.Plane(0).ToArray());
        Assert.Throws<ArgumentException>(() => AreaDownscale.Shrink(image, 6, 1));
    }

    /// <summary>A smooth picture: a diagonal gradient in each channel, with a different slope per channel.</summary>
    private static PlanarImage Smooth(int width, int height)
    {
        var image = new PlanarImage(width, height);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    image[c, y, x] = 0.2f + 0.6f * (x * (c + 1) + y) / ((width + height) * (c + 1));
        return image;
    }

    [Fact]
    public void A_perfect_cleanup_of_a_noisy_input_passes_though_it_differs_from_the_noise_pixel_by_pixel()
    {
        // What a denoising model should give: the clean picture, upscaled. The input is that picture with heavy
        // noise (uniform, +-0.25: a standard deviation of 37 levels), which no faithful output reproduces.
        var clean = Smooth(64, 48);
        var noisy = new PlanarImage(64, 48);
        var random = new Random(6);
        for (int i = 0; i < noisy.Data.Length; i++)
            noisy.Data[i] = Math.Clamp(clean.Data[i] + (random.NextSingle() - 0.5f) / 2, 0f, 1f);

        var metrics = QualityGate.Measure(noisy, Nearest(clean, 4), 4);

        double pixelByPixel = Psnr.ComputeRgb(noisy, AreaDownscale.Shrink(Nearest(clean, 4), 4, 4), 0, 0, 64, 48);
        Assert.InRange(pixelByPixel, 0, QualityGate.DefaultMinConsistencyPsnr - 3);
        Assert.InRange(metrics.ConsistencyPsnr, QualityGate.DefaultMinConsistencyPsnr + 3, double.PositiveInfinity);
        Assert.Null(QualityGate.FindFailure(metrics, QualityGate.DefaultMinConsistencyPsnr));
    }

    /// <summary>A black <paramref name="side"/> x <paramref name="side"/> square at (x0, y0): a tile the model broke.</summary>
    private static void Blacken(PlanarImage image, int x0, int y0, int side)
    {
        for (int c = 0; c < 3; c++)
            for (int y = y0; y < y0 + side; y++)
                for (int x = x0; x < x0 + side; x++)
                    image[c, y, x] = 0;
    }

    [Fact]
    public void One_broken_tile_of_a_faithful_output_fails()
    {
        var input = Smooth(64, 64);
        var output = Nearest(input, 2);
        Blacken(output, 32, 32, 64);
        var metrics = QualityGate.Measure(input, output, 2);
        Assert.Contains("-MinConsistencyPsnr", QualityGate.FindFailure(metrics, QualityGate.DefaultMinConsistencyPsnr));
    }

    [Fact]
    public void One_broken_tile_of_a_large_image_fails_although_the_image_as_a_whole_is_close()
    {
        var input = Smooth(512, 384);
        var output = Nearest(input, 2);
        Blacken(output, 512, 256, 128);
        // Over the whole image the black 64x64-pixel tile weighs 1/48: about 23 dB, above the threshold.
        var shrunk = AreaDownscale.Shrink(output, 2, 2);
        Assert.InRange(Psnr.ComputeRgb(input, shrunk, 0, 0, 512, 384), QualityGate.DefaultMinConsistencyPsnr + 1, 30);
        var metrics = QualityGate.Measure(input, output, 2);
        Assert.InRange(metrics.ConsistencyPsnr, 0, 10);
        Assert.NotNull(QualityGate.FindFailure(metrics, QualityGate.DefaultMinConsistencyPsnr));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 7)]
    [InlineData(9, 2)]
    [InlineData(3, 3)]
    public void An_image_narrower_than_a_block_is_compared_in_blocks_as_wide_as_it_is(int width, int height)
    {
        var input = Textured(width, height, 7);
        Assert.InRange(QualityGate.Measure(input, Nearest(input, 4), 4).ConsistencyPsnr, 100, double.PositiveInfinity);
        var inverted = Nearest(input, 4);
        for (int i = 0; i < inverted.Data.Length; i++)
            inverted.Data[i] = 1 - inverted.Data[i];
        // Uniform noise and its negative in blocks of at most 4x4: far apart, whatever the block.
        Assert.InRange(QualityGate.Measure(input, inverted, 4).ConsistencyPsnr, 0, QualityGate.DefaultMinConsistencyPsnr);
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
        Assert.Contains("blank (luma deviation 0.00, under 0.5)", QualityGate.FindFailure(metrics, 0));

        var flat = new PlanarImage(8, 8);
        Assert.Null(QualityGate.FindFailure(QualityGate.Measure(flat, new PlanarImage(16, 16), 2), QualityGate.DefaultMinConsistencyPsnr));
    }

    [Fact]
    public void An_output_that_does_not_shrink_back_to_its_input_fails_the_consistency_check()
    {
        // The picture mirrored left to right: right tones and colours, in the wrong places.
        var input = Smooth(32, 16);
        var mirrored = new PlanarImage(32, 16);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 16; y++)
                for (int x = 0; x < 32; x++)
                    mirrored[c, y, x] = input[c, y, 31 - x];
        var metrics = QualityGate.Measure(input, Nearest(mirrored, 2), 2);
        Assert.InRange(metrics.ConsistencyPsnr, 0, QualityGate.DefaultMinConsistencyPsnr - 3);
        Assert.Contains("-MinConsistencyPsnr", QualityGate.FindFailure(metrics, QualityGate.DefaultMinConsistencyPsnr));
    }

    [Fact]
    public void A_washed_out_output_of_a_soft_picture_fails_on_contrast_though_its_blocks_are_close()
    {
        // Tones between 0.4 and 0.6: washing out (0.25 + v/2) moves no block mean by more than 0.05.
        var input = Smooth(64, 48);
        for (int i = 0; i < input.Data.Length; i++)
            input.Data[i] = 0.4f + (input.Data[i] - 0.2f) / 3;
        var washed = Nearest(input, 2);
        for (int i = 0; i < washed.Data.Length; i++)
            washed.Data[i] = 0.25f + washed.Data[i] / 2;

        var metrics = QualityGate.Measure(input, washed, 2);

        Assert.InRange(metrics.ConsistencyPsnr, QualityGate.DefaultMinConsistencyPsnr + 3, 60);
        Assert.Equal(0.5, metrics.ContrastRatio, 2);
        // The message names what was measured, the range allowed, and the switch that turns the check off.
        Assert.Contains("contrast is 0.50 times the input's (their tones: 4x4-pixel block means smoothed over about 8 pixels), outside 0.67 to 1.50", QualityGate.FindFailure(metrics, QualityGate.DefaultMinConsistencyPsnr));
        Assert.Contains("-MinConsistencyPsnr 0", QualityGate.FindFailure(metrics, QualityGate.DefaultMinConsistencyPsnr));
        Assert.Null(QualityGate.FindFailure(metrics, 0));
        Assert.Equal(1, QualityGate.Measure(input, Nearest(input, 2), 2).ContrastRatio, 3);
    }

    /// <summary>1-pixel red, green and blue stripes: no luma contrast but what a 4-pixel block makes of their phase.</summary>
    private static PlanarImage ColourStripes(int width, int height)
    {
        var image = new PlanarImage(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                image[x % 3, y, x] = 1;
        return image;
    }

    [Fact]
    public void Softened_one_pixel_colour_stripes_pass_though_their_block_means_lose_most_of_their_ripple()
    {
        // What the embedded models make of them: the stripes kept, their colours 40% as strong around their grey.
        var input = ColourStripes(96, 80);
        var softened = Nearest(input, 2);
        for (int i = 0; i < softened.Data.Length; i++)
            softened.Data[i] = 1 / 3f + 0.4f * (softened.Data[i] - 1 / 3f);
        // The 4x4 block means ripple by 10.7 luma levels (one colour counted twice), and the softened output's by
        // 40% of that: as a ratio of plain block deviations, a washed-out output.
        double blockRatio = LumaChannel.Deviation(AreaDownscale.Shrink(softened, 8, 8)) / LumaChannel.Deviation(AreaDownscale.Shrink(input, 4, 4));
        Assert.Equal(0.4, blockRatio, 2);

        var metrics = QualityGate.Measure(input, softened, 2);

        Assert.True(double.IsNaN(metrics.ContrastRatio), $"contrast ratio {metrics.ContrastRatio}");
        Assert.InRange(metrics.ConsistencyPsnr, QualityGate.DefaultMinConsistencyPsnr, 40);
        Assert.Null(QualityGate.FindFailure(metrics, QualityGate.DefaultMinConsistencyPsnr));
    }

    [Fact]
    public void The_contrast_of_tones_is_kept_by_smoothing_so_a_darkened_textured_picture_still_fails()
    {
        // Smooth tones under fine texture: the smoothing drops the texture, and a half-bright output is still half.
        var input = Smooth(96, 80);
        var texture = Textured(96, 80, 9);
        for (int i = 0; i < input.Data.Length; i++)
            input.Data[i] += (texture.Data[i] - 0.5f) / 5;
        var darkened = Nearest(input, 2);
        for (int i = 0; i < darkened.Data.Length; i++)
            darkened.Data[i] /= 2;
        Assert.Equal(0.5, QualityGate.Measure(input, darkened, 2).ContrastRatio, 2);
        Assert.Equal(1, QualityGate.Measure(input, Nearest(input, 2), 2).ContrastRatio, 3);
    }

    [Fact]
    public void A_flat_input_has_no_contrast_ratio_and_passes_whatever_the_flat_output()
    {
        var flat = new PlanarImage(16, 16);
        flat.Data.AsSpan().Fill(0.5f);
        var brighter = new PlanarImage(32, 32);
        brighter.Data.AsSpan().Fill(0.52f);
        var metrics = QualityGate.Measure(flat, brighter, 2);
        Assert.True(double.IsNaN(metrics.ContrastRatio));
        Assert.Null(QualityGate.FindFailure(metrics, QualityGate.DefaultMinConsistencyPsnr));
    }

    [Fact]
    public void Metrics_round_trip_through_json_with_infinity_and_nan()
    {
        var metrics = new QualityMetrics(double.PositiveInfinity, 0, 12.5, 12.25, 0.98);
        Assert.Equal(metrics, QualityMetrics.FromJson(metrics.ToJson()));
        var broken = QualityMetrics.FromJson(new QualityMetrics(double.NaN, 3, 1, double.NaN).ToJson())!;
        Assert.True(double.IsNaN(broken.ConsistencyPsnr));
        Assert.Null(QualityMetrics.FromJson("not json"));
        // Journals written before the contrast ratio existed read as "not measured".
        var older = QualityMetrics.FromJson("""{"ConsistencyPsnr":41.5,"NonFiniteValues":0,"InputDeviation":30,"OutputDeviation":29}""")!;
        Assert.Equal(41.5, older.ConsistencyPsnr);
        Assert.True(double.IsNaN(older.ContrastRatio));
    }
}
