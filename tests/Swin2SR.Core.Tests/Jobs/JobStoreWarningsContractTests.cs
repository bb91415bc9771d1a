using Swin2SR.Core.Jobs;

namespace Swin2SR.Core.Tests.Jobs;

/// <summary>The job-store contract on an item's warnings: kept with its outcome, bounded, and on stores of the schema before them.</summary>
public abstract partial class JobStoreContractTests
{
    private const string PagesLeftOut = "a TIFF of 3 pages: only its first page is upscaled";

    private static ItemOutcome SucceededWarning(long id, params string[] warnings) => Succeeded(id) with { Warnings = warnings };

    [Fact]
    public void An_items_warnings_are_kept_with_its_outcome_read_back_by_another_connection_and_counted()
    {
        long job;
        List<ClaimedItem> claimed;
        using (var store = OpenStore())
        {
            (job, claimed) = NewJobClaimedByW(store, Items(2));
            store.Complete("w", [SucceededWarning(claimed[0].Id, PagesLeftOut, "16-bit samples written as 8-bit"), Succeeded(claimed[1].Id)]);
        }
        using var later = OpenStore();
        var items = later.Items(job, [ItemStatus.Succeeded]);
        Assert.Equal([PagesLeftOut, "16-bit samples written as 8-bit"], items.Single(i => i.Id == claimed[0].Id).Warnings!);
        Assert.Empty(items.Single(i => i.Id == claimed[1].Id).Warnings!);
        Assert.Equal(1, later.Summarize(later.FindJob("j")!, _ => false).WithWarnings);
    }

    [Fact]
    public void An_items_next_outcome_replaces_its_warnings()
    {
        using var store = OpenStore();
        var (job, claimed) = NewJobClaimedByW(store, Items(1));
        store.Complete("w", [SucceededWarning(claimed[0].Id, PagesLeftOut)]);
        // The input was replaced by a one-page TIFF: queued again, done again without a warning.
        store.AddItems(job, [Items(1)[0] with { InputLength = 999 }], redoDone: false);
        var again = Begin(store, "w", store.Claim(job, "w", 1, Soon));
        store.Complete("w", [Succeeded(again[0].Id)]);
        Assert.Empty(Assert.Single(store.Items(job, null)).Warnings!);
        Assert.Equal(0, store.Summarize(store.FindJob("j")!, _ => false).WithWarnings);
    }

    [Fact]
    public void Warnings_are_stored_bounded_a_long_one_cut_and_many_counted()
    {
        using var store = OpenStore();
        var (job, claimed) = NewJobClaimedByW(store, Items(1));
        var many = Enumerable.Range(1, 20).Select(i => $"warning {i} " + new string('x', 2000)).ToArray();
        store.Complete("w", [SucceededWarning(claimed[0].Id, many)]);
        var kept = Assert.Single(store.Items(job, null)).Warnings!;
        Assert.Equal(ItemWarnings.MaxWarnings, kept.Count);
        Assert.All(kept, w => Assert.True(w.Length <= ItemWarnings.MaxLength, $"{w.Length} characters"));
        Assert.StartsWith("warning 1 xxx", kept[0]);
        Assert.EndsWith("...", kept[0]);
        Assert.Equal($"... and {20 - ItemWarnings.MaxWarnings + 1} more warnings, left out of the job store", kept[^1]);
    }

    [Fact]
    public void A_store_from_schema_eight_is_upgraded_and_keeps_warnings_from_then_on()
    {
        CreateStoreOfVersion(8);
        using var store = OpenStore();
        long job = store.FindJob("old")!.Id;
        store.AddItems(job, Items(1), redoDone: false);
        store.RegisterWorker(job, Worker("w"));
        var claimed = Begin(store, "w", store.Claim(job, "w", 1, Soon));
        store.Complete("w", [SucceededWarning(claimed[0].Id, PagesLeftOut)]);
        Assert.Equal([PagesLeftOut], Assert.Single(store.Items(job, null)).Warnings!);
    }
}
