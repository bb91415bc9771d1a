using Swin2SR.Core.Inference;
using Swin2SR.Core.Pipeline;

namespace Swin2SR.Core.Tests.Pipeline;

public sealed class TileGeometryTests
{
    private static ModelContract Contract(int window, int? fixedSize = null) =>
        new("pixel_values", "reconstruction", Scale: 2, Window: window, FixedSize: fixedSize, FixedBatch: null);

    [Theory]
    [InlineData(8, 256)]
    [InlineData(16, 256)]
    [InlineData(12, 252)] // 256 is no multiple of 12: the default is the largest one below it
    [InlineData(7, 252)]
    [InlineData(300, 300)] // a window larger than the default is the smallest tile there is
    public void Without_a_tile_size_the_default_fits_the_models_window(int window, int expected)
    {
        var geometry = TileGeometry.Resolve(new UpscaleOptions(), Contract(window));
        Assert.Equal(expected, geometry.TileSize);
    }

    [Fact]
    public void A_tile_size_given_that_is_no_multiple_of_the_window_is_refused_with_the_next_one()
    {
        var error = Assert.Throws<InvalidTilingException>(() => TileGeometry.Resolve(new UpscaleOptions { TileSize = 256 }, Contract(12)));
        Assert.Equal(256, error.Value);
        Assert.Contains("try 264", error.Message);
    }

    [Fact]
    public void A_model_with_a_fixed_size_uses_it()
    {
        Assert.Equal(64, TileGeometry.Resolve(new UpscaleOptions { TileSize = 128 }, Contract(8, fixedSize: 64)).TileSize);
    }
}
