using Swin2SR.Core.Quality;

namespace Swin2SR.Core.Tests.Quality;

public class ComparisonRegionTests
{
    [Theory]
    [InlineData(255, 254, 252, 252, 4, 252, 252)] // HR not a multiple of the scale: cropped to the output
    [InlineData(255, 342, 252, 340, 4, 252, 340)]
    [InlineData(252, 252, 255, 253, 4, 252, 252)] // the other way round crops the image
    [InlineData(101, 100, 100, 100, 2, 100, 100)]
    [InlineData(64, 48, 64, 48, 1, 64, 48)]
    public void Sizes_that_differ_by_less_than_the_scale_are_compared_on_their_common_top_left_block(
        int referenceWidth, int referenceHeight, int width, int height, int scale, int expectedWidth, int expectedHeight)
    {
        var region = ComparisonRegion.Plan(referenceWidth, referenceHeight, width, height, scale, border: scale);
        Assert.Equal(expectedWidth, region.Width);
        Assert.Equal(expectedHeight, region.Height);
        Assert.Equal(expectedWidth - 2 * scale, region.InnerWidth);
        Assert.Equal(expectedHeight - 2 * scale, region.InnerHeight);
    }

    [Theory]
    [InlineData(256, 256, 252, 252, 2)]
    [InlineData(256, 256, 256, 260, 4)]
    [InlineData(64, 48, 64, 47, 1)]
    public void Sizes_that_differ_by_the_scale_or_more_are_a_size_mismatch(int referenceWidth, int referenceHeight, int width, int height, int scale)
    {
        var e = Assert.Throws<ImageComparisonException>(() => ComparisonRegion.Plan(referenceWidth, referenceHeight, width, height, scale, 0));
        Assert.Equal("SizeMismatch", e.ErrorId);
        Assert.Contains($"{width}x{height}", e.Message);
        Assert.Contains($"{referenceWidth}x{referenceHeight}", e.Message);
    }

    [Theory]
    [InlineData(24, 16, 96, 64, 4, "The reference is 1/4 of the image's size: it looks like the input the image was upscaled from")]
    [InlineData(63, 40, 254, 161, 4, "The reference is 1/4 of the image's size")] // sides off by less than the factor, as a crop leaves them
    [InlineData(50, 50, 100, 100, 1, "The reference is 1/2 of the image's size")] // -Scale left out
    [InlineData(96, 64, 24, 16, 4, "The image is 1/4 of the reference's size: it looks like an input, not its upscaled output")]
    public void A_size_mismatch_of_a_whole_factor_says_which_image_is_likely_the_input(
        int referenceWidth, int referenceHeight, int width, int height, int scale, string expected)
    {
        var e = Assert.Throws<ImageComparisonException>(() => ComparisonRegion.Plan(referenceWidth, referenceHeight, width, height, scale, 0));
        Assert.Equal("SizeMismatch", e.ErrorId);
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData(256, 256, 252, 252, 2)]
    [InlineData(100, 100, 200, 150, 4)] // twice as wide, 1.5 times as high: neither is the other upscaled
    public void A_size_mismatch_of_no_whole_factor_names_no_input(int referenceWidth, int referenceHeight, int width, int height, int scale)
    {
        var e = Assert.Throws<ImageComparisonException>(() => ComparisonRegion.Plan(referenceWidth, referenceHeight, width, height, scale, 0));
        Assert.DoesNotContain("input", e.Message);
    }

    [Fact]
    public void A_region_too_small_for_the_ssim_window_after_the_border_is_refused()
    {
        Assert.Equal(12, ComparisonRegion.Plan(20, 20, 20, 20, 1, border: 4).InnerWidth);
        var e = Assert.Throws<ImageComparisonException>(() => ComparisonRegion.Plan(20, 20, 20, 20, 1, border: 5));
        Assert.Equal("ImageTooSmall", e.ErrorId);
        Assert.Contains("10x10", e.Message);
    }

    [Fact]
    public void Images_of_sizes_within_the_scale_are_scored_on_the_common_block()
    {
        // The image is the reference's top-left 16x16: the common block is identical, whatever the extra column holds.
        var reference = QualityImages.Random(17, 16, seed: 7);
        var scores = ImageQuality.Compare(reference, QualityImages.TopLeft(reference, 16, 16), scale: 2, border: 2);
        Assert.Equal(double.PositiveInfinity, scores.PsnrY);
        Assert.Equal(1.0, scores.SsimY, 12);
        Assert.Equal((16, 16, 2), (scores.Width, scores.Height, scores.Border));
    }
}
