using Swin2SR.Core.Inference;
using Swin2SR.Core.Pipeline;

namespace Swin2SR.Core.Tests.Pipeline;

/// <summary>
/// The batch-size search, fed the times and memory readings a device would give (a GPU's behaviour cannot be
/// produced on this machine; the pipeline tests run the sizer with real sessions).
/// </summary>
public sealed class BatchSizerTests
{
    private const long GiB = 1L << 30;

    /// <summary>Runs batches as a device would until the sizer settles: a warm-up then timed batches of each size.</summary>
    private static void Drive(BatchSizer sizer, Func<int, double> seconds, Action<int>? grow = null)
    {
        for (int call = 0; call < 1000 && !sizer.Settled; call++)
        {
            int batch = sizer.Limit;
            long? before = sizer.FreeBytesBeforeWarmUp();
            grow?.Invoke(batch);
            sizer.Observe(batch, seconds(batch), before);
        }
        Assert.True(sizer.Settled);
    }

    [Fact]
    public void It_doubles_while_tiles_get_faster_and_keeps_the_last_size_that_helped()
    {
        // A launch cost of 20 ms hides small batches; past 5 tiles each tile costs 4 ms whatever the batch.
        var sizer = new BatchSizer(256, () => null);
        Drive(sizer, b => Math.Max(0.020, 0.004 * b));
        Assert.Equal(8, sizer.Limit);
        Assert.Contains("under 3% faster per tile than 8", sizer.Reason);
    }

    [Fact]
    public void It_stops_where_the_next_doubling_would_not_fit_in_free_memory()
    {
        // 12 GiB free of 16 (margin 1.6 GiB); each tile of the batch takes 1 GiB once its size has run.
        long used = 0;
        var sizer = new BatchSizer(256, () => new DeviceMemory(12 * GiB - used, 16 * GiB));
        Drive(sizer, b => 0.1, grow: b => used = Math.Max(used, b * GiB));
        // 8 tiles leave 4 GiB free; 8 more would need 8 GiB.
        Assert.Equal(8, sizer.Limit);
        Assert.Contains("free memory", sizer.Reason);
    }

    [Fact]
    public void It_stops_at_the_largest_batch_it_may_try()
    {
        var sizer = new BatchSizer(16, () => null);
        Drive(sizer, b => 0.1);
        Assert.Equal(16, sizer.Limit);
    }

    [Fact]
    public void The_fastest_of_the_timed_batches_counts_so_one_slow_batch_does_not_stop_the_search()
    {
        var sizer = new BatchSizer(256, () => null);
        int calls = 0;
        // Every third batch is delayed by another process; per tile, 2 tiles are still twice as fast as 1.
        Drive(sizer, b => (++calls % 3 == 0 ? 1.0 : 0.0) + (b <= 2 ? 0.010 : 0.010 * b / 2));
        Assert.Equal(2, sizer.Limit);
    }

    [Fact]
    public void Out_of_memory_halves_a_chosen_or_a_fixed_size()
    {
        var found = new BatchSizer(256, () => null);
        Drive(found, b => 0.1);
        found.OutOfMemory(found.Limit);
        Assert.Equal(128, found.Limit);

        var given = BatchSizer.Fixed(6);
        Assert.True(given.Settled);
        given.OutOfMemory(6);
        Assert.Equal(3, given.Limit);
    }

    [Fact]
    public void Batches_smaller_than_the_size_under_test_are_not_taken_as_its_measure()
    {
        var sizer = new BatchSizer(256, () => null);
        for (int i = 0; i < 4; i++)
            sizer.Observe(1, 1.0, null); // warm-up and three samples of size 1
        Assert.Equal(2, sizer.Limit);
        for (int i = 0; i < 10; i++)
            sizer.Observe(1, 10.0, null); // a short batch: the queue held only one tile
        Assert.Equal(2, sizer.Limit);
        Assert.False(sizer.Settled);
    }
}
