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
