using Swin2SR.Core.Tiling;

namespace Swin2SR.Core.Tests.Tiling;

public class TileSizeChooserTests
{
    [Fact]
    public void Candidates_are_the_largest_tile_its_halves_and_three_quarters_down_to_twice_the_window()
    {
        // Each with room for the edge context, a window on each side: 16, or 32 for a window of 16.
        Assert.Equal([272, 208, 144, 112, 80, 64, 48, 40, 32], TileSizeChooser.Candidates(256, 8));
        Assert.Equal([64, 48, 40, 32], TileSizeChooser.Candidates(48, 8)); // 36 is no multiple of 8: 32
        Assert.Equal([160, 128, 96, 80, 64], TileSizeChooser.Candidates(128, 16)); // 24 is below twice the window
    }

    [Fact]
    public void Cpu_runs_may_take_every_multiple_of_the_window()
    {
        Assert.Equal([80, 72, 64, 56, 48, 40, 32], TileSizeChooser.EveryWindowMultiple(64, 8));
        // Below twice the window: the tile as given and room for the context (-TileSize 8 had no room, so no context and no overlap).
        Assert.Equal([24], TileSizeChooser.EveryWindowMultiple(8, 8));
        Assert.Equal([24], TileSizeChooser.Candidates(8, 8));
        // 72x72 and its edge context (8 before, 8 after: 88x88) fit one 88 tile exactly, where the halves-and-quarters
        // set pads it to 112.
        Assert.Equal(TileShape.Square(88), TileSizeChooser.ChooseSquare(72, 72, TileSizeChooser.EveryWindowMultiple(256, 8), 16, 8));
        Assert.Equal(TileShape.Square(112), TileSizeChooser.ChooseSquare(72, 72, TileSizeChooser.Candidates(256, 8), 16, 8));
    }

    [Theory]
    // Each size with its edge context of 4 pixels a side (align 1 here). 120x120: one 144 tile computes 20,736
    // pixels, four 80 tiles (overlap 16) 25,600, one 272 tile 73,984.
    [InlineData(120, 120, 144)]
    // 1000x700: 272 tiles need 4x3 (887,808 px); 144 tiles 8x6 (995,328 px); 208 tiles 6x4 (1,038,336 px).
    [InlineData(1000, 700, 272)]
    // 2000x20: 125 tiles of 32 (128,000 px) beat 83 of 40 (132,800 px) and 63 of 48 (145,152 px).
    [InlineData(2000, 20, 32)]
    public void The_chosen_tile_computes_the_fewest_pixels(int width, int height, int expected)
    {
        var candidates = TileSizeChooser.Candidates(256, 8);
        Assert.Equal(TileShape.Square(expected), TileSizeChooser.ChooseSquare(width, height, candidates, 16, align: 1));
        long best = TileSizeChooser.ComputedPixels(width, height, TileShape.Square(expected), 16, 1);
        Assert.All(candidates, t => Assert.True(TileSizeChooser.ComputedPixels(width, height, TileShape.Square(t), 16, 1) >= best));
    }

    /// <summary>
    /// On the CPU a thumbnail of one tile is computed at its extended size: 57x86, with a window of edge context
    /// before it and at least 4 pixels after it, is 72x104, where the best square computes two 72 tiles (10,368
    /// pixels against 7,488).
    /// </summary>
    [Fact]
    public void Each_side_fits_a_thumbnail_in_one_tile_of_its_extended_size()
    {
        var sizes = TileSizeChooser.EveryWindowMultiple(256, 8);
        var tile = TileSizeChooser.ChooseEachSide(57, 86, sizes, 16, 8);
        Assert.Equal(new TileShape(72, 104), tile);
        Assert.Equal(72 * 104, TileSizeChooser.ComputedPixels(57, 86, tile, 16, 8));
        Assert.Equal(2 * 72 * 72, TileSizeChooser.ComputedPixels(57, 86, TileSizeChooser.ChooseSquare(57, 86, sizes, 16, 8), 16, 8));
    }

    /// <summary>The sides chosen one at a time compute no more than any pair of candidate sides (a tile's pixels are its sides' product).</summary>
    [Theory]
    [InlineData(57, 86)]
    [InlineData(1000, 700)]
    [InlineData(2000, 20)]
    [InlineData(300, 251)]
    [InlineData(513, 1)]
    public void Each_side_chosen_on_its_own_computes_the_fewest_pixels_of_any_shape(int width, int height)
    {
        var sizes = TileSizeChooser.EveryWindowMultiple(256, 8);
        var tile = TileSizeChooser.ChooseEachSide(width, height, sizes, 16, 8);
        long best = TileSizeChooser.ComputedPixels(width, height, tile, 16, 8);
        foreach (int w in sizes)
            foreach (int h in sizes)
                Assert.True(TileSizeChooser.ComputedPixels(width, height, new TileShape(w, h), 16, 8) >= best, $"{w}x{h} computes fewer than {tile}");
        Assert.True(best <= TileSizeChooser.ComputedPixels(width, height, TileSizeChooser.ChooseSquare(width, height, sizes, 16, 8), 16, 8));
    }
}
