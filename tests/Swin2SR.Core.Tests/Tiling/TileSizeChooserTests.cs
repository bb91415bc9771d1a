using Swin2SR.Core.Tiling;

namespace Swin2SR.Core.Tests.Tiling;

public class TileSizeChooserTests
{
    [Fact]
    public void Candidates_are_the_largest_tile_its_halves_and_three_quarters_down_to_twice_the_window()
    {
        Assert.Equal([256, 192, 128, 96, 64, 48, 32, 24, 16], TileSizeChooser.Candidates(256, 8));
        Assert.Equal([48, 32, 24, 16], TileSizeChooser.Candidates(48, 8)); // 36 is no multiple of 8: 32
        Assert.Equal([128, 96, 64, 48, 32], TileSizeChooser.Candidates(128, 16)); // 24 is below twice the window
    }

    [Fact]
    public void Cpu_runs_may_take_every_multiple_of_the_window()
    {
        Assert.Equal([64, 56, 48, 40, 32, 24, 16], TileSizeChooser.EveryWindowMultiple(64, 8));
        Assert.Equal([60], TileSizeChooser.EveryWindowMultiple(60, 32)); // below twice the window: the tile as given
        // 72x72 fits one 72 tile exactly: no padding, where the halves-and-quarters set pads it to 96.
        Assert.Equal(72, TileSizeChooser.Choose(72, 72, TileSizeChooser.EveryWindowMultiple(256, 8), 16, 8));
        Assert.Equal(96, TileSizeChooser.Choose(72, 72, TileSizeChooser.Candidates(256, 8), 16, 8));
    }

    [Theory]
    // 120x120: one 256 tile computes 65,536 pixels, one 128 tile 16,384, nine 64 tiles (overlap 16) 36,864.
    [InlineData(120, 120, 128)]
    // 1000x700: 192 tiles need 6x4 (884,736 px); 256 tiles 5x3 (983,040 px); 128 tiles 9x7 (1,032,192 px).
    [InlineData(1000, 700, 192)]
    // 2000x20: 166 tiles of 24 (95,616 px) beat 124 of 32 (126,976 px) and 2x249 of 16 (127,488 px).
    [InlineData(2000, 20, 24)]
    public void The_chosen_tile_computes_the_fewest_pixels(int width, int height, int expected)
    {
        var candidates = TileSizeChooser.Candidates(256, 8);
        Assert.Equal(expected, TileSizeChooser.Choose(width, height, candidates, 16, align: 1));
        long best = TileSizeChooser.ComputedPixels(width, height, expected, TileSizeChooser.OverlapFor(expected, 16), 1);
        Assert.All(candidates, t => Assert.True(TileSizeChooser.ComputedPixels(width, height, t, TileSizeChooser.OverlapFor(t, 16), 1) >= best));
    }
}
