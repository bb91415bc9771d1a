namespace Swin2SR.Core.Jobs;

/// <summary>An item's place in its lifecycle. The numbers are stored: never renumber.</summary>
public enum ItemStatus
{
    Pending = 0,
    Running = 1,
    Succeeded = 2,
    Failed = 3,
    Skipped = 4,
}

/// <summary>A job's state, derived from its items, its workers and a stop request.</summary>
public enum JobState
{
    Queued,
    Running,
    Stopping,
    Stopped,
    Interrupted,
    Completed,
    CompletedWithErrors,
}

/// <summary>How the statuses users see map onto the stored ones.</summary>
internal static class JobStatuses
{
    /// <summary>
    /// The stored statuses an item shown with one of <paramref name="shown"/> can have: a Pending one may be stored
    /// as Running, queued by a worker that has not begun it. Filtering on these first lets the stores use their
    /// status index before they work out what each item shows.
    /// </summary>
    public static IReadOnlyCollection<ItemStatus> StoredAs(IReadOnlyCollection<ItemStatus>? shown) =>
        shown is null ? [] : shown.Contains(ItemStatus.Pending) ? [.. shown.Append(ItemStatus.Running).Distinct()] : shown;
}
