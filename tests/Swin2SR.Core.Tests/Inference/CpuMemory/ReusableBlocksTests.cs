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
    public void It_keeps_no_more_than_was_in_use_at_the_peak_giving_back_the_smallest_blocks_first()
    {
        var first = Map(10 * MiB);
        var second = Map(10 * MiB);
        Return(first, second);
        Assert.Empty(_unmapped); // 20 MiB free, 20 MiB was in use at once

        var larger = Map(30 * MiB); // a larger run: nothing free fits it
        Return(larger);

        Assert.Equal([first, second], _unmapped);
        Assert.Equal(30 * MiB, _blocks.FreeBytes);
        Assert.Equal(30 * MiB, _blocks.PeakInUseBytes);
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
        Assert.Equal(6 * MiB, _blocks.PeakInUseBytes);
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
