using Swin2SR.Core.Pipeline;

namespace Swin2SR.Core.Tests.Pipeline;

/// <summary>
/// The automatic CPU tile on small machines: the memory the garbage collector reports in a 1, 2 or 4 GiB container
/// (three quarters of the limit, its default heap hard limit), and the tile the workers then run.
/// </summary>
public sealed class TileThatFitsTests
{
    private const long MiB = 1L << 20;

    [Theory]
    [InlineData(1, 768, 120)]   // 1 GiB container: 691 MB usable, a third 230 MB; (120+16)^2 x 12 KiB = 217 MB
    [InlineData(1, 1536, 176)]  // 2 GiB: 461 MB; 192^2 x 12 KiB = 432 MB, 200^2 would take 469
    [InlineData(2, 1536, 120)]  // two workers hold two tiles
    public void On_a_small_machine_the_default_tile_shrinks_to_a_third_of_what_an_image_may_use(int workers, long memoryMiB, int expected)
    {
        Assert.Equal(expected, CpuBatchMemory.FittedTileSize(workers, window: 8, memoryMiB * MiB));
    }

    [Fact]
    public void From_a_4_GiB_container_up_one_worker_keeps_the_default_tile()
    {
        // 3072 MB seen: a third of 90% is 922 MB, and the default 256 (272 with context) holds 867.
        Assert.Null(CpuBatchMemory.FittedTileSize(1, window: 8, 3072 * MiB));
    }

    [Fact]
    public void Where_not_even_one_window_fits_the_tile_is_one_window_and_the_image_check_speaks()
    {
        Assert.Equal(8, CpuBatchMemory.FittedTileSize(1, window: 8, 16 * MiB));
    }

    [Fact]
    public void The_fitted_tile_is_a_multiple_of_the_models_window()
    {
        // A window of 12 has 24 pixels of context: 140 a side at most, 116 a tile, 108 the largest multiple of 12.
        Assert.Equal(108, CpuBatchMemory.FittedTileSize(1, window: 12, 768 * MiB));
    }
}
