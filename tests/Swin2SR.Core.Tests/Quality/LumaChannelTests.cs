using Swin2SR.Core.Quality;

namespace Swin2SR.Core.Tests.Quality;

public class LumaChannelTests
{
    // Y = 16 + 65.481 R + 128.553 G + 24.966 B for R, G, B in [0,1] (MATLAB rgb2ycbcr, BT.601 studio range):
    // red 16 + 65.481 = 81.481; green 16 + 128.553 = 144.553; blue 16 + 24.966 = 40.966;
    // white 16 + 219 = 235 (65.481 + 128.553 + 24.966 = 219); black 16; mid-gray 128: 16 + 219 * 128 / 255 = 125.929411...
    [Theory]
    [InlineData(255, 0, 0, 81.481)]
    [InlineData(0, 255, 0, 144.553)]
    [InlineData(0, 0, 255, 40.966)]
    [InlineData(255, 255, 255, 235.0)]
    [InlineData(0, 0, 0, 16.0)]
    [InlineData(128, 128, 128, 125.929411764706)]
    public void Y_of_a_pixel_follows_the_BT601_studio_range_weights(byte r, byte g, byte b, double expected)
    {
        var image = QualityImages.FromRgb(1, 1, (_, _) => (r, g, b));
        var y = LumaChannel.Extract(image, 0, 0, 1, 1);
        Assert.Equal(expected, y[0, 0], 1e-4);
    }

    [Fact]
    public void Extract_takes_the_block_at_the_given_corner_row_by_row()
    {
        // Gray level 10 * x + 50 * y, so each extracted value names its source pixel.
        var image = QualityImages.Gray(5, 4, (x, y) => (byte)(10 * x + 50 * y));
        var block = LumaChannel.Extract(image, 1, 2, 3, 2);
        Assert.Equal(3, block.Width);
        Assert.Equal(2, block.Height);
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 3; x++)
                Assert.Equal(16 + 219.0 * (10 * (x + 1) + 50 * (y + 2)) / 255, block[y, x], 1e-4);
    }
}
