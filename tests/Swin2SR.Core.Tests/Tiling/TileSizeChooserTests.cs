using Swin2SR.Core.Tiling;

namespace Swin2SR.Core.Tests.Tiling;

public class TileSizeChooserTests
{
    [Fact]
    public void Candidates_are_the_largest_tile_and_its_halves_down_to_twice_the_window()
    {
        Assert.Equal([256, 128, 64, 32, 16], TileSizeChooser.Candidates(256, 8));
        Assert.Equal([48, 24], TileSizeChooser.Candidates(48, 8));
    }

    [Theory]
    // 120x120: one 256 tile computes 65,536 pixels, one 128 tile 16,384, nine 64 tiles (overlap 16) 36,864.
    [InlineData(120, 120, 128)]
    // 1000x700: 256 tiles need 5x3 (983,040 px); 128 tiles 9x7 (1,032,192 px); 64 tiles 21x15 (1,290,240 px).
    [InlineData(1000, 700, 256)]
    // 2000x20: 124 tiles of 32 (126,976 px) beat 2x249 tiles of 16 (127,488 px) and 42 tiles of 64 (172,032 px).
    [InlineData(2000, 20, 32)]
    public void The_chosen_tile_computes_the_fewest_pixels(int width, int height, int expected)
    {
        var candidates = TileSizeChooser.Candidates(256, 8);
        Assert.Equal(expected, TileSizeChooser.Choose(width, height, candidates, 16, align: 1));
        long best = TileSizeChooser.ComputedPixels(width, height, expected, TileSizeChooser.OverlapFor(expected, 16), 1);
        Assert.All(candidates, t => Assert.True(TileSizeChooser.ComputedPixels(width, height, t, TileSizeChooser.OverlapFor(t, 16), 1) >= best));
    }
}
