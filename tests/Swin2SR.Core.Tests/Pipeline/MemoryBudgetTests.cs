using Swin2SR.Core.Pipeline;

namespace Swin2SR.Core.Tests.Pipeline;

public sealed class MemoryBudgetTests
{
    [Theory]
    [InlineData(800, 100, true)]
    [InlineData(800, 99, false)]
    [InlineData(long.MaxValue, 10L << 30, false)] // no budget: the collector keeps its own pace
    public void An_image_of_an_eighth_of_the_budget_or_more_is_large(long limit, long bytes, bool large) =>
        Assert.Equal(large, new MemoryBudget(limit).IsLarge(bytes));

    [Fact]
    public async Task Images_wait_until_their_bytes_fit_and_are_admitted_in_order()
    {
        var budget = new MemoryBudget(100);
        await budget.WaitAsync(60, CancellationToken.None);
        var second = budget.WaitAsync(50, CancellationToken.None);
        var third = budget.WaitAsync(10, CancellationToken.None);
        Assert.False(second.IsCompleted);
        Assert.False(third.IsCompleted, "a small image does not overtake a waiting one");

        budget.Release(60);
        await second.WaitAsync(TimeSpan.FromSeconds(5));
        await third.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(60, budget.UsedBytes);
    }

    [Fact]
    public async Task An_image_larger_than_the_budget_runs_alone()
    {
        var budget = new MemoryBudget(100);
        await budget.WaitAsync(10, CancellationToken.None);
        var huge = budget.WaitAsync(500, CancellationToken.None);
        Assert.False(huge.IsCompleted);
        budget.Release(10);
        await huge.WaitAsync(TimeSpan.FromSeconds(5));
        var next = budget.WaitAsync(1, CancellationToken.None);
        Assert.False(next.IsCompleted);
        budget.Release(500);
        await next.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void An_image_costs_its_planes_on_both_sides_of_the_scale()
    {
        Assert.Equal(100L * 50 * (20 + 100 * 16), MemoryBudget.ImageBytes(100, 50, 4));
        // A 50-megapixel photo at x4 is far beyond what eight of them could share in a default budget.
        Assert.True(MemoryBudget.ImageBytes(8660, 5773, 4) > MemoryBudget.DefaultLimitBytes());
    }
}
