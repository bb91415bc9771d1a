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
        data.Add(1, 8, 2, 4, 8); // one window: no room for context
        data.Add(13, 8, 0, 2, 8);
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
        int context = axis.Context, lead = axis.LeadContext;
        Assert.Equal(Math.Min(TileAxis.EdgeContext, (tile - align) / 2), context);
        Assert.Equal(RoundUp(context, align), lead);
        Assert.True(axis.Starts[^1] < length, "no tile holds nothing but context");
        Assert.True(axis.Starts[0] + tile > 0, "no tile holds nothing but context");
        int end = RoundUp(length + context, align);
        Assert.All(axis.Starts, s => Assert.Equal(0, s % align)); // the windows of a pass over the image from 0
        Assert.True(lead + end <= tile || axis.Starts[^1] + tile == end, "the last tile ends where the extended image ends");
        for (int i = 1; i < axis.Count; i++)
            Assert.True(axis.Starts[i - 1] + tile - axis.Starts[i] >= overlap, $"tiles {i - 1} and {i} overlap by at least {overlap}");
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>
    /// A model's output is poorest near where its input ends (zero-padded convolutions): the image gets edge context
    /// before it (a whole window) and after it (at least 4 pixels), whether it is a line narrower than a window or
    /// longer than a tile.
    /// </summary>
    [Theory]
    [InlineData(1, 16, 4)]
    [InlineData(7, 16, 2)]
    [InlineData(8, 16, 2)]
    [InlineData(3, 64, 4)]
    [InlineData(120, 64, 2)]
    [InlineData(256, 256, 4)]
    public void The_image_has_edge_context_on_both_sides(int length, int tile, int scale)
    {
        var axis = TileAxis.Plan(length, tile, TileSizeChooser.OverlapFor(tile, 16), scale, align: 8);
        Assert.Equal((TileAxis.EdgeContext, 8), (axis.Context, axis.LeadContext));
        Assert.Equal(-8, axis.Starts[0]);
        Assert.Equal((8 * scale, 0), (axis.OutputLead(0), axis.OutputStart(0)));
        Assert.True(axis.Starts[^1] + tile - length >= TileAxis.EdgeContext, $"the last tile reaches {axis.Starts[^1] + tile}, at least {TileAxis.EdgeContext} past {length}");
        Assert.Equal(length * scale, axis.OutputStart(axis.Count - 1) + axis.OutputExtent(axis.Count - 1));
    }

    /// <summary>A tile of one window has no room for context (the pipeline plans none that small; the axis still never plans a tile of nothing but context).</summary>
    [Fact]
    public void A_tile_of_one_window_has_no_edge_context()
    {
        var axis = TileAxis.Plan(1, 8, 2, 4, align: 8);
        Assert.Equal((0, 1), (axis.Context, axis.Count));
        Assert.Equal([0], axis.Starts);
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
