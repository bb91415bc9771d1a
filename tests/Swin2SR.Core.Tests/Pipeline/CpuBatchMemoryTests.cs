using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Tiling;

namespace Swin2SR.Core.Tests.Pipeline;

/// <summary>The -BatchSize memory estimate on the CPU, for machines this one is not (the cmdlet test runs one).</summary>
public sealed class CpuBatchMemoryTests
{
    private const long GiB = 1L << 30;
    private static readonly TileShape Tile272 = TileShape.Square(272);

    [Fact]
    public void Sixteen_tiles_of_256_on_two_workers_do_not_fit_in_a_24_GiB_machine_and_it_says_what_does()
    {
        // 2 workers x 16 tiles x 272x272 x 12 KiB = 27.1 GiB; 23.5 GiB less 4 GiB for images leaves 19.5 GiB, 11 tiles a worker.
        string? warning = CpuBatchMemory.Warning(16, 2, Tile272, 23_500 * (GiB / 1000), 4 * GiB);
        Assert.NotNull(warning);
        Assert.StartsWith("-BatchSize 16 needs at least 27.1 GiB for the tiles held at once by 2 CPU workers (16 of up to 272x272 each,", warning);
        Assert.Contains("more than the 19.5 GiB this process may use beside the images in flight (23.5 GiB less 4.0 GiB)", warning);
        Assert.Contains("-BatchSize 11 is the most that fits", warning);
    }

    [Fact]
    public void A_batch_that_fits_says_nothing_and_one_that_leaves_no_room_for_two_says_one_tile()
    {
        Assert.Null(CpuBatchMemory.Warning(11, 2, Tile272, 23_500 * (GiB / 1000), 4 * GiB));
        Assert.Contains("one tile a worker is the most that fits", CpuBatchMemory.Warning(2, 8, Tile272, 16 * GiB, 4 * GiB));
    }
}
