namespace Swin2SR.Core.Jobs;

/// <summary>
/// The journal every run writes: jobs, their items and the workers leasing them. One contract, two engines
/// (SQLite on one machine, PostgreSQL for several). Every method is one transaction; implementations are safe to
/// call from several threads, and several processes may share one store.
/// </summary>
public interface IJobStore : IDisposable
{
    /// <summary>Where the store lives, as shown to users (never with credentials).</summary>
    string Location { get; }

    /// <summary>Creates the job, or updates its recorded options if it exists; clears a pending stop request.</summary>
    JobRecord CreateOrUpdateJob(string name, JobOptions options);

    JobRecord? FindJob(string name);

    IReadOnlyList<JobRecord> ListJobs();

    /// <summary>
    /// Adds inputs. An input already in the job is queued again unless it succeeded with the same size, time,
    /// options and output path (then it is reported in <see cref="AddItemsResult.AlreadyDone"/>; with
    /// <paramref name="redoDone"/>, -Force, it is queued again too), or failed, unchanged in the same way, with a
    /// failure that would recur (<see cref="RecurringFailures"/>; reported in <see cref="AddItemsResult.FailedBefore"/>,
    /// and queued again with <paramref name="retryFailed"/> or <paramref name="redoDone"/>), or is already waiting or
    /// being worked on.
    /// </summary>
    AddItemsResult AddItems(long jobId, IReadOnlyList<NewItem> items, bool redoDone, bool retryFailed = false);

    /// <summary>
    /// Whether an item of the job succeeded under options of this <see cref="JobOptions.OutputHash"/>: the model (by
    /// its bytes) worked with that tile size and overlap.
    /// </summary>
    bool SucceededWith(long jobId, string optionsHash);

    /// <summary>Failed items go back to Pending (Resume -RetryFailed), their lost leases forgiven.</summary>
    int RequeueFailed(long jobId);

    /// <summary>
    /// Items that failed as InputNotFound and whose input is gone for good (<see cref="JobPlanner.InputGoneId"/>) become
    /// Skipped with <paramref name="message"/>; items of other statuses or failures are left as they are. Returns how many changed.
    /// </summary>
    int RetireGoneInputs(long jobId, IReadOnlyList<long> itemIds, string message);

    void RegisterWorker(long jobId, WorkerRecord worker);

    /// <summary>Marks the worker alive and extends the leases of the items it holds.</summary>
    void Heartbeat(long jobId, string workerId, DateTimeOffset leaseUntil);

    /// <summary>Removes the worker and hands every item it still holds back to Pending.</summary>
    void UnregisterWorker(long jobId, string workerId);

    IReadOnlyList<WorkerRecord> Workers(long jobId);

    /// <summary>
    /// Records what new items the worker takes (<see cref="WorkerRecord.Accepts"/>), null: none. Committed when it
    /// returns, so that a claim after it, and a read of the workers by any process, see it (<see cref="JobHandOff"/>).
    /// </summary>
    void SetAccepts(long jobId, string workerId, string? accepts);

    /// <summary>Makes the leases of these (dead) workers expire now, so their items can be claimed.</summary>
    void ExpireWorkers(long jobId, IReadOnlyCollection<string> workerIds);

    /// <summary>
    /// Leases up to <paramref name="max"/> items, first by id: Pending ones that no worker has lost, and queued ones
    /// (claimed, never begun) that no worker has lost, whose worker's lease expired. A claimed item is only queued
    /// until <see cref="TryBegin"/>.
    /// </summary>
    IReadOnlyList<ClaimedItem> Claim(long jobId, string workerId, int max, DateTimeOffset leaseUntil);

    /// <summary>
    /// Marks a leased item begun: its worker starts on it now. A worker lost after this counts a lost lease against
    /// the item; one lost before loses nothing. Repeatable; false when the item is no longer this worker's (another
    /// took it over, <see cref="StealQueued"/>), and then the caller must leave it alone.
    /// </summary>
    bool TryBegin(string workerId, long itemId);

    /// <summary>
    /// Leases items that another live worker has queued and not begun, so that a worker with nothing to claim shares
    /// a small job: from the end of the longest such queue (what its owner would reach last), half the difference
    /// to this worker's own queue, which evens them, at most <paramref name="max"/>; nothing when they differ by less
    /// than two (two workers near the end of a job would otherwise take the same items back and forth).
    /// </summary>
    IReadOnlyList<ClaimedItem> StealQueued(long jobId, string workerId, int max, DateTimeOffset leaseUntil);

    /// <summary>
    /// Leases one suspect, the first by id, or none: a Running item begun under a lease that expired (taking it over
    /// counts a lost lease), or one that was lost before, Pending or queued under a lease that expired (its worker
    /// was lost before beginning it: the count stays). A worker claims one only when it holds nothing else, and runs
    /// it alone, so that a crash counts only against the image that caused it.
    /// </summary>
    ClaimedItem? ClaimSuspect(long jobId, string workerId, DateTimeOffset leaseUntil);

    /// <summary>How many items workers other than this one hold, begun or queued.</summary>
    int ItemsHeldByOthers(long jobId, string workerId);

    /// <summary>
    /// Commits outcomes; returns the ids of the items that were still leased by this worker, whose outcomes the job
    /// now has. The others were taken over by another worker (this one went a lease without renewing it: paused,
    /// suspended, cut off from the store), and their outcomes here are dropped.
    /// </summary>
    IReadOnlySet<long> Complete(string workerId, IReadOnlyList<ItemOutcome> outcomes);

    void RequestStop(long jobId);

    bool IsStopRequested(long jobId);

    /// <summary>Counts and rates; an item a worker has queued and not begun counts as Pending.</summary>
    JobSummary Summarize(JobRecord job, Func<WorkerRecord, bool> isAlive);

    /// <summary>
    /// The items of these statuses (every item when null or empty), first by id, or the stretch of them that
    /// <paramref name="page"/> picks; one a worker has queued and not begun is Pending, with that worker as its lease owner.
    /// </summary>
    IReadOnlyList<ItemRecord> Items(long jobId, IReadOnlyCollection<ItemStatus>? statuses, ItemPage page = default);

    /// <summary>How many items <see cref="Items"/> lists for these statuses without a page, counted by the store.</summary>
    long CountItems(long jobId, IReadOnlyCollection<ItemStatus>? statuses);

    void RemoveJob(long jobId);
}
