using Swin2SR.Core.Imaging;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>The two alpha helpers: bicubic upscaling of the alpha plane and the colour fill under transparent pixels.</summary>
public sealed class AlphaPlaneTests
{
    [Fact]
    public void Bicubic_upscaling_reproduces_a_ramp_away_from_the_borders()
    {
        const int width = 12, scale = 2;
        var ramp = Enumerable.Range(0, width * 3).Select(i => i % width / 20f).ToArray();
        var upscaled = BicubicResize.Upscale(ramp, width, 3, scale);
        for (int o = 4; o < width * scale - 4; o++)
        {
            // Output pixel o samples the input at (o + 0.5) / scale - 0.5; cubic convolution is exact on a line.
            double centre = (o + 0.5) / scale - 0.5;
            Assert.Equal(centre / 20, upscaled[width * scale + o], 5);
        }
    }

    [Fact]
    public void Bicubic_upscaling_stays_within_0_and_1_at_a_hard_edge()
    {
        var step = Enumerable.Range(0, 8 * 8).Select(i => i % 8 < 4 ? 0f : 1f).ToArray();
        var upscaled = BicubicResize.Upscale(step, 8, 8, 4);
        Assert.Equal(32 * 32, upscaled.Length);
        Assert.All(upscaled, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(0f, upscaled[0]);
        Assert.Equal(1f, upscaled[31]);
    }

    [Fact]
    public void Transparent_pixels_take_the_colour_of_the_nearest_visible_region()
    {
        // Red visible on the left edge, blue on the right edge, transparent in between.
        const int w = 16, h = 4;
        var image = new PlanarImage(w, h);
        var alpha = new float[w * h];
        for (int y = 0; y < h; y++)
        {
            alpha[y * w] = alpha[y * w + w - 1] = 1;
            image[0, y, 0] = 1;
            image[2, y, w - 1] = 1;
        }
        TransparentColourFill.Fill(image, alpha);
        Assert.True(image[0, 1, 2] > image[2, 1, 2], "a pixel beside the red region should be mostly red");
        Assert.True(image[2, 1, w - 3] > image[0, 1, w - 3], "a pixel beside the blue region should be mostly blue");
        Assert.Equal(1f, image[0, 2, 0]);
        Assert.Equal(0f, image[2, 2, 0]);
    }

    [Fact]
    public void A_fully_transparent_image_is_left_as_it_is()
    {
        var image = new PlanarImage(3, 3);
        image[1, 1, 1] = 0.25f;
        TransparentColourFill.Fill(image, new float[9]);
        Assert.Equal(0.25f, image[1, 1, 1]);
        Assert.Equal(0f, image[0, 0, 0]);
    }
}
