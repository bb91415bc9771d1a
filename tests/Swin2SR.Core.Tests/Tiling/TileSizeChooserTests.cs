using Swin2SR.Core.Tiling;

namespace Swin2SR.Core.Tests.Tiling;

public class TileSizeChooserTests
{
    [Fact]
    public void Candidates_are_the_largest_tile_its_halves_and_three_quarters_down_to_twice_the_window()
    {
        // Each with room for 4 pixels of edge context a side, rounded up to the window: 8, or 16 for a window of 16.
        Assert.Equal([264, 200, 136, 104, 72, 56, 40, 32, 24], TileSizeChooser.Candidates(256, 8));
        Assert.Equal([56, 40, 32, 24], TileSizeChooser.Candidates(48, 8)); // 36 is no multiple of 8: 32
        Assert.Equal([144, 112, 80, 64, 48], TileSizeChooser.Candidates(128, 16)); // 24 is below twice the window
    }

    [Fact]
    public void Cpu_runs_may_take_every_multiple_of_the_window()
    {
        Assert.Equal([72, 64, 56, 48, 40, 32, 24], TileSizeChooser.EveryWindowMultiple(64, 8));
        Assert.Equal([24], TileSizeChooser.EveryWindowMultiple(24, 16)); // below twice the window: the tile as given
        // 72x72 and its edge context (80x80) fit one 80 tile exactly, where the halves-and-quarters set pads it to 104.
        Assert.Equal(80, TileSizeChooser.Choose(72, 72, TileSizeChooser.EveryWindowMultiple(256, 8), 16, 8));
        Assert.Equal(104, TileSizeChooser.Choose(72, 72, TileSizeChooser.Candidates(256, 8), 16, 8));
    }

    [Theory]
    // Each size with its edge context of 4 pixels a side. 120x120: one 264 tile computes 69,696 pixels, one 136
    // tile 18,496, four 72 tiles (overlap 16) 20,736.
    [InlineData(120, 120, 136)]
    // 1000x700: 264 tiles need 4x3 (836,352 px); 200 tiles 6x4 (960,000 px); 136 tiles 9x6 (998,784 px).
    [InlineData(1000, 700, 264)]
    // 2000x20: 125 tiles of 32 (128,000 px) beat 83 of 40 (132,800 px) and 2x167 of 24 (192,384 px: 28 rows
    // with the context do not fit in 24).
    [InlineData(2000, 20, 32)]
    public void The_chosen_tile_computes_the_fewest_pixels(int width, int height, int expected)
    {
        var candidates = TileSizeChooser.Candidates(256, 8);
        Assert.Equal(expected, TileSizeChooser.Choose(width, height, candidates, 16, align: 1));
        long best = TileSizeChooser.ComputedPixels(width, height, expected, TileSizeChooser.OverlapFor(expected, 16), 1);
        Assert.All(candidates, t => Assert.True(TileSizeChooser.ComputedPixels(width, height, t, TileSizeChooser.OverlapFor(t, 16), 1) >= best));
    }
}
