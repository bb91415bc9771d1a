using Swin2SR.Core.Quality;

namespace Swin2SR.Core.Tests.Quality;

public class PsnrTests
{
    [Theory]
    [InlineData(65025.0, 0.0)] // MSE = 255^2: 10 log10(1) = 0
    [InlineData(650.25, 20.0)] // 255^2 / 100: 10 log10(100) = 20
    [InlineData(6.5025, 40.0)] // 255^2 / 10^4
    public void Psnr_is_ten_log10_of_peak_squared_over_mse(double mse, double expected) =>
        Assert.Equal(expected, Psnr.FromMeanSquaredError(mse), 12);

    [Fact]
    public void Identical_images_score_infinity()
    {
        var image = QualityImages.Random(16, 16, seed: 1);
        var scores = ImageQuality.Compare(image, image, scale: 1, border: 0);
        Assert.Equal(double.PositiveInfinity, scores.PsnrY);
        Assert.Equal(double.PositiveInfinity, scores.PsnrRgb);
    }

    // A 4x4 gray image at level 100; the test copy has pixel (x=0, y=0) at 151 and pixel (x=2, y=1) at 49, so two
    // pixels differ by 51 levels in each of R, G and B.
    //  Y:   a gray step of 51 levels moves Y by 219 * 51 / 255 = 43.8, squared 1918.44.
    //       whole image: MSE = 2 * 1918.44 / 16 = 239.805, PSNR = 10 log10(65025 / 239.805) = 24.33222 dB
    //       border 1 (the inner 2x2 block, x and y in 1..2) keeps only pixel (2,1):
    //       MSE = 1918.44 / 4 = 479.61, PSNR = 10 log10(65025 / 479.61) = 21.32192 dB
    //  RGB: whole image: MSE = 2 pixels * 3 channels * 51^2 / 48 values = 325.125, PSNR = 10 log10(200) = 23.01030 dB
    //       border 1: MSE = 3 * 2601 / 12 = 650.25, PSNR = 10 log10(100) = 20 dB
    private static readonly Swin2SR.Core.Imaging.PlanarImage s_flat = QualityImages.Gray(4, 4, (_, _) => 100);
    private static readonly Swin2SR.Core.Imaging.PlanarImage s_twoPixelsOff = QualityImages.Gray(4, 4, (x, y) => (x, y) switch
    {
        (0, 0) => 151,
        (2, 1) => 49,
        _ => 100,
    });

    [Fact]
    public void Two_changed_pixels_of_a_4x4_image_give_the_psnr_worked_out_by_hand()
    {
        var psnrY = Psnr.Compute(LumaChannel.Extract(s_flat, 0, 0, 4, 4), LumaChannel.Extract(s_twoPixelsOff, 0, 0, 4, 4));
        Assert.Equal(24.33222, psnrY, 1e-4);
        Assert.Equal(23.01030, Psnr.ComputeRgb(s_flat, s_twoPixelsOff, 0, 0, 4, 4), 1e-4);
    }

    [Fact]
    public void Cropping_a_one_pixel_border_drops_the_corner_difference_as_predicted()
    {
        var psnrY = Psnr.Compute(LumaChannel.Extract(s_flat, 1, 1, 2, 2), LumaChannel.Extract(s_twoPixelsOff, 1, 1, 2, 2));
        Assert.Equal(21.32192, psnrY, 1e-4);
        Assert.Equal(20.0, Psnr.ComputeRgb(s_flat, s_twoPixelsOff, 1, 1, 2, 2), 1e-4);
    }

    // Every channel of every pixel raised by 5 levels:
    //  Y moves by 219 * 5 / 255 = 4.2941176 everywhere, so PSNR = 20 log10(255 / 4.2941176) = 20 log10(255^2 / 1095)
    //    = 35.47332 dB;
    //  RGB: MSE = 25, PSNR = 10 log10(65025 / 25) = 10 log10(2601) = 34.15140 dB.
    // A uniform offset is the same everywhere, so the border changes nothing.
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void A_constant_offset_of_five_levels_gives_the_predicted_psnr_whatever_the_border(int border)
    {
        var reference = QualityImages.Random(20, 18, seed: 2, low: 20, high: 230);
        var scores = ImageQuality.Compare(reference, QualityImages.Offset(reference, 5), scale: 1, border);
        Assert.Equal(35.47332, scores.PsnrY, 1e-4);
        Assert.Equal(34.15140, scores.PsnrRgb, 1e-4);
    }

    // A 15x15 gray image with one pixel in its outer ring changed by 51 levels: with border 2 the compared 11x11
    // block does not contain it (identical: infinity); with border 0 the MSE of Y is 1918.44 / 225 = 8.52640,
    // PSNR = 10 log10(65025 / 8.52640) = 38.82315 dB.
    [Fact]
    public void The_border_excludes_differences_in_the_outer_pixels()
    {
        var reference = QualityImages.Gray(15, 15, (_, _) => 100);
        var image = QualityImages.Gray(15, 15, (x, y) => x == 1 && y == 13 ? (byte)151 : (byte)100);
        var cropped = ImageQuality.Compare(reference, image, scale: 1, border: 2);
        Assert.Equal(double.PositiveInfinity, cropped.PsnrY);
        Assert.Equal(1.0, cropped.SsimY, 12);
        var whole = ImageQuality.Compare(reference, image, scale: 1, border: 0);
        Assert.Equal(38.82315, whole.PsnrY, 1e-4);
        Assert.True(whole.SsimY < 1);
    }

    [Fact]
    public void Psnr_falls_as_the_difference_grows_and_is_symmetric()
    {
        var reference = QualityImages.Random(16, 16, seed: 3, low: 30, high: 200);
        double previous = double.PositiveInfinity;
        foreach (int offset in new[] { 1, 2, 5, 20, 50 })
        {
            var image = QualityImages.Offset(reference, offset);
            var forward = ImageQuality.Compare(reference, image, 1, 0);
            var backward = ImageQuality.Compare(image, reference, 1, 0);
            Assert.Equal(forward.PsnrY, backward.PsnrY, 12);
            Assert.Equal(forward.PsnrRgb, backward.PsnrRgb, 12);
            Assert.True(forward.PsnrY < previous);
            previous = forward.PsnrY;
        }
    }
}
