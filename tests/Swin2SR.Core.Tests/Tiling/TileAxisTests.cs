using Swin2SR.Core.Tiling;

namespace Swin2SR.Core.Tests.Tiling;

public class TileAxisTests
{
    public static TheoryData<int, int, int, int, int> Layouts()
    {
        var data = new TheoryData<int, int, int, int, int>();
        var random = new Random(7);
        for (int i = 0; i < 300; i++)
        {
            int tile = 8 * random.Next(2, 17);
            int overlap = random.Next(0, tile / 2 + 1);
            int length = random.Next(1, 5 * tile);
            data.Add(length, tile, overlap, random.Next(0, 2) == 0 ? 2 : 4, random.Next(0, 2) == 0 ? 1 : 8);
        }
        data.Add(1, 8, 4, 4, 1);
        data.Add(1, 16, 4, 4, 8);
        data.Add(129, 128, 16, 2, 8);
        data.Add(241, 128, 16, 2, 8);
        data.Add(5000, 64, 32, 4, 8);
        return data;
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Weights_sum_to_one_everywhere_and_tiles_cover_the_axis(int length, int tile, int overlap, int scale, int align)
    {
        var axis = TileAxis.Plan(length, tile, overlap, scale, align);
        var sum = new double[length * scale];
        for (int i = 0; i < axis.Count; i++)
        {
            int start = axis.OutputStart(i);
            var w = axis.Weights(i);
            for (int p = 0; p < w.Length; p++)
            {
                Assert.InRange(w[p], 0f, 1f);
                sum[start + p] += w[p];
            }
        }
        Assert.All(sum, s => Assert.Equal(1.0, s, 5));
        if (length < align)
            return; // centred: see A_line_narrower_than_the_window_is_centred_in_its_tile
        Assert.Equal(0, axis.Starts[0]);
        Assert.All(axis.Starts, s => Assert.Equal(0, s % align));
        int padded = (length + align - 1) / align * align;
        Assert.True(axis.Starts[^1] + tile >= length, "the last tile reaches the end");
        Assert.True(padded <= tile || axis.Starts[^1] + tile == padded, "a tile hangs over the border only as far as the window padding");
        for (int i = 1; i < axis.Count; i++)
            Assert.True(axis.Starts[i - 1] + tile - axis.Starts[i] >= overlap, $"tiles {i - 1} and {i} overlap by at least {overlap}");
    }

    /// <summary>A model's output is poorest near a tile's edges: an image narrower than a window is all edge unless centred.</summary>
    [Theory]
    [InlineData(1, 8, 4)]
    [InlineData(7, 8, 2)]
    [InlineData(3, 64, 4)]
    public void A_line_narrower_than_the_window_is_centred_in_its_tile(int length, int tile, int scale)
    {
        var axis = TileAxis.Plan(length, tile, 0, scale, align: 8);
        int lead = (tile - length) / 2;
        Assert.Equal([-lead], axis.Starts);
        Assert.Equal((lead * scale, 0, length * scale), (axis.OutputLead(0), axis.OutputStart(0), axis.OutputExtent(0)));
        Assert.All(axis.Weights(0).ToArray(), w => Assert.Equal(1f, w));
        var wide = TileAxis.Plan(8, tile, 0, scale, align: 8);
        Assert.Equal((0, 0), (wide.Starts[0], wide.OutputLead(0)));
    }

    [Fact]
    public void A_tile_gives_no_weight_to_the_quarter_of_an_overlap_next_to_its_cut_edge()
    {
        var axis = TileAxis.Plan(length: 200, tile: 64, overlap: 16, scale: 2, align: 8);
        for (int i = 0; i + 1 < axis.Count; i++)
        {
            int overlapOut = (axis.Starts[i] + 64 - axis.Starts[i + 1]) * 2;
            int dead = overlapOut / 4;
            var left = axis.Weights(i);
            var right = axis.Weights(i + 1);
            for (int p = 0; p < dead; p++)
            {
                Assert.Equal(0f, left[left.Length - 1 - p]);
                Assert.Equal(0f, right[p]);
            }
        }
    }

    [Fact]
    public void Blending_is_feathered_not_a_plain_average()
    {
        var axis = TileAxis.Plan(length: 120, tile: 64, overlap: 32, scale: 1, align: 1);
        var second = axis.Weights(1);
        var distinct = second.ToArray().Take(32).Where(w => w is > 0f and < 1f).Distinct().Count();
        Assert.True(distinct > 8, $"the weights ramp through many values across the overlap, not a step ({distinct})");
    }

    [Fact]
    public void An_overlap_over_half_the_tile_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TileAxis.Plan(100, 32, 17, 2, 8));
    }
}
