using Swin2SR.Core.Inference.CpuMemory;

namespace Swin2SR.Core.Tests.Inference.CpuMemory;

public sealed class ReusableBlocksTests
{
    private const long MiB = 1L << 20;
    private readonly List<MappedBlock> _unmapped = [];
    private readonly ReusableBlocks _blocks;
    private long _nextAddress = 1 << 30;

    public ReusableBlocksTests() => _blocks = new ReusableBlocks(_unmapped.Add);

    [Fact]
    public void A_returned_block_serves_the_next_request_that_fits_it_best()
    {
        var small = Map(4 * MiB);
        var middle = Map(8 * MiB);
        var large = Map(16 * MiB);
        Return(small, middle, large);

        Assert.True(_blocks.TryTake(5 * MiB, out nint address));
        Assert.Equal(middle.Address, address);
        Assert.Equal(1, _blocks.Reused);
        Assert.Equal(8 * MiB, _blocks.InUseBytes);
        Assert.Equal(20 * MiB, _blocks.FreeBytes);
    }

    [Fact]
    public void A_block_much_larger_than_the_request_is_not_lent()
    {
        var activations = Map(150 * MiB);
        var small = Map(4 * MiB);
        Return(activations, small);

        Assert.False(_blocks.TryTake(5 * MiB, out _));
        // Up to twice the request, or a huge page more, is lent.
        Assert.True(_blocks.TryTake(2 * MiB + 1, out nint address));
        Assert.Equal(small.Address, address);
    }

    [Fact]
    public void An_address_it_did_not_hand_out_is_not_taken_back()
    {
        Map(4 * MiB);
        Assert.False(_blocks.TryReturn(12345));
        Assert.Equal(4 * MiB, _blocks.InUseBytes);
        Assert.Equal(0, _blocks.FreeBytes);
    }

    [Fact]
    public void A_free_block_goes_back_once_no_request_took_it_for_the_kept_runs_and_one_taken_meanwhile_stays()
    {
        var large = Map(30 * MiB);
        var small = Map(3 * MiB);
        Return(large, small);

        for (int run = 0; run < ReusableBlocks.KeptRuns; run++)
        {
            _blocks.RunEnded();
            Assert.True(_blocks.TryTake(3 * MiB, out nint address)); // every run asks for the small block again
            Assert.True(_blocks.TryReturn(address));
        }
        Assert.Empty(_unmapped);

        _blocks.RunEnded();

        Assert.Equal([large], _unmapped);
        Assert.Equal(3 * MiB, _blocks.FreeBytes);
    }

    [Fact]
    public void Blocks_of_many_sizes_that_each_run_asks_for_in_turn_are_all_kept()
    {
        // A run without a memory plan asks for buffers of many sizes, the largest last (tiny x4, a 96x96 tile).
        long[] sizes = [3 * MiB, 3 * MiB, 9 * MiB, 6 * MiB, 16 * MiB, 80 * MiB];
        foreach (long size in sizes)
            Return(Map(size));
        _blocks.RunEnded();
        long mapped = _blocks.FreeBytes;

        for (int run = 0; run < 3 * ReusableBlocks.KeptRuns; run++)
        {
            var taken = new List<nint>();
            foreach (long size in sizes)
            {
                Assert.True(_blocks.TryTake(size, out nint address), $"run {run}: no free block for {size / MiB} MiB");
                taken.Add(address);
            }
            foreach (nint address in taken)
                Assert.True(_blocks.TryReturn(address));
            _blocks.RunEnded();
        }

        Assert.Empty(_unmapped);
        Assert.Equal(mapped, _blocks.FreeBytes);
    }

    [Fact]
    public void Releasing_gives_back_every_free_block_and_keeps_those_in_use()
    {
        var held = Map(6 * MiB);
        var returned = Map(8 * MiB);
        Return(returned);

        _blocks.ReleaseFree();

        Assert.Equal([returned], _unmapped);
        Assert.Equal(0, _blocks.FreeBytes);
        Assert.Equal(6 * MiB, _blocks.InUseBytes);
        Assert.True(_blocks.TryReturn(held.Address));
    }

    private void Return(params MappedBlock[] blocks)
    {
        foreach (var block in blocks)
            Assert.True(_blocks.TryReturn(block.Address));
    }

    private MappedBlock Map(long size)
    {
        var block = new MappedBlock((nint)_nextAddress, size, (nint)_nextAddress, size);
        _nextAddress += size;
        _blocks.Add(block);
        return block;
    }
}
