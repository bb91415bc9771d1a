using System.Management.Automation;
using Swin2SR.Core.Jobs;

namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// The bridge for the job-management cmdlets: opens the store, finds jobs by wildcard, and converts the engine's
/// records into PowerShell-side objects. Engine types stay inside.
/// </summary>
internal sealed class JobStoreQueries : IDisposable
{
    /// <summary>Null: the default store, which nothing has been run with yet, so it has no jobs.</summary>
    private readonly IJobStore? _store;
    private readonly string _location;

    private JobStoreQueries(IJobStore? store, string location)
    {
        _store = store;
        _location = store?.Location ?? location;
    }

    /// <summary>For Invoke -QueueOnly, which records a job: a store that does not exist is created.</summary>
    public static JobStoreQueries OpenToRecord(JobStoreTarget target) => new(JobStoreOpening.Open(target, target.RunAccess), target.Display);

    /// <summary>For the status and management commands: a server that cannot be reached is an error within seconds.</summary>
    public static JobStoreQueries OpenToQuery(JobStoreTarget target) => OpenExisting(target, JobStoreAccess.Query);

    /// <summary>For tab completion: reads a store as it is, and never waits for a server.</summary>
    public static JobStoreQueries OpenToComplete(JobStoreTarget target) => OpenExisting(target, JobStoreAccess.Completion);

    /// <summary>Commands that read jobs or act on them never create a store: only a run records jobs.</summary>
    private static JobStoreQueries OpenExisting(JobStoreTarget target, JobStoreAccess access) => new(JobStoreOpening.OpenExisting(target, access), target.Display);

    /// <summary>Job names matching a wildcard pattern (every job when null), in creation order.</summary>
    public IReadOnlyList<string> Names(string? pattern)
    {
        if (_store is null)
            return [];
        var wildcard = NamePattern.Of(pattern ?? "*");
        return Guard(() => _store.ListJobs().Where(j => wildcard.IsMatch(j.Name)).Select(j => j.Name).ToList());
    }

    public Swin2SRJobInfo Summary(string name) => OnJob(name, (store, job) =>
    {
        var s = store.Summarize(job, w => WorkerIdentity.IsWorking(w, JobRunner.DefaultLeaseDuration));
        return new Swin2SRJobInfo
        {
            Name = job.Name,
            State = s.State.ToString(),
            Total = s.Total,
            Pending = s.Pending,
            Running = s.Running,
            Succeeded = s.Succeeded,
            Failed = s.Failed,
            Skipped = s.Skipped,
            WithWarnings = s.WithWarnings,
            PercentComplete = Math.Round(s.PercentComplete, 1),
            ImagesPerSecond = Math.Round(s.ImagesPerSecond, 2),
            EstimatedRemaining = s.EstimatedRemaining,
            Created = job.Created.LocalDateTime,
            Started = s.FirstStarted?.LocalDateTime,
            Updated = job.Updated.LocalDateTime,
            LastFinished = s.LastFinished?.LocalDateTime,
            Workers = s.Workers.Select(DescribeWorker).ToArray(),
            Model = Path.GetFileNameWithoutExtension(job.Options.ModelPath),
            Device = job.Options.DeviceIds is { Count: > 0 } ids ? $"{job.Options.Device} {string.Join(',', ids)}" : job.Options.Device.ToString(),
            Precision = job.Options.Precision.ToString(),
            OutputDirectory = job.Options.OutputDirectory,
            Store = store.Location,
        };
    });

    /// <summary>"host:pid (device, n done, r/s)": with workers on several hosts, who does how much.</summary>
    private static string DescribeWorker(WorkerRecord w)
    {
        double seconds = (DateTimeOffset.UtcNow - w.Started).TotalSeconds;
        return $"{w.Host}:{w.ProcessId} ({w.Device}, {w.Processed} done, {(seconds > 0 ? w.Processed / seconds : 0):0.##}/s)";
    }

    /// <summary>The job's items of these statuses (all when null), in the order they were added, or the stretch <paramref name="page"/> picks.</summary>
    public IEnumerable<Swin2SRJobItem> Items(string name, IReadOnlyCollection<Swin2SRJobItemStatus>? statuses, ItemPage page = default)
    {
        var records = OnJob(name, (store, job) => store.Items(job.Id, Stored(statuses), page));
        return records.Select(r => new Swin2SRJobItem
        {
            JobName = r.JobName,
            InputPath = r.InputPath,
            OutputPath = r.OutputPath,
            Status = Enum.Parse<Swin2SRJobItemStatus>(r.Status.ToString()),
            Attempts = r.Attempts,
            ErrorId = r.ErrorId,
            Error = r.ErrorMessage,
            Started = r.Started?.LocalDateTime,
            Finished = r.Finished?.LocalDateTime,
            Duration = r.DurationMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            InputWidth = KnownSize.Of(r.InputWidth),
            InputHeight = KnownSize.Of(r.InputHeight),
            OutputWidth = KnownSize.Of(r.OutputWidth),
            OutputHeight = KnownSize.Of(r.OutputHeight),
            Worker = r.LeaseOwner,
            Store = _location,
            Metrics = QualityMetricsOutput.FromJson(r.Metrics),
            Warnings = Swin2SRTextList.OfInput(r.InputPath, r.Warnings),
        });
    }

    /// <summary>How many items <see cref="Items"/> lists without a page, counted by the store.</summary>
    public long CountItems(string name, IReadOnlyCollection<Swin2SRJobItemStatus>? statuses) =>
        OnJob(name, (store, job) => store.CountItems(job.Id, Stored(statuses)));

    private static List<ItemStatus>? Stored(IReadOnlyCollection<Swin2SRJobItemStatus>? statuses) =>
        statuses?.Select(s => Enum.Parse<ItemStatus>(s.ToString())).ToList();

    public void RequestStop(string name) => OnJob(name, (store, job) => { store.RequestStop(job.Id); return 0; });

    public void Remove(string name, bool workersRunning) => OnJob(name, (store, job) => { JobRemoval.Remove(store, job.Id, workersRunning); return 0; });

    /// <summary>Adds a run's inputs to the job, creating it if new (Invoke -QueueOnly).</summary>
    /// <returns>The run's warning about the inputs left failed, not queued again (as a run gives it); null for none.</returns>
    public string? Record(string name, JobOptions options, IReadOnlyList<string> inputs, bool retryFailed, string? listedRoot) => Guard(() =>
    {
        var (job, _, added) = JobPlanner.AddInputs(StoreOf(name), name, options, inputs, retryFailed: retryFailed, listedRoot: listedRoot);
        return JobPlanner.FailedBeforeNote(job, added.FailedBefore.Count);
    });

    /// <summary>Runs an operation on an existing job; JobNotFound when there is none.</summary>
    private T OnJob<T>(string name, Func<IJobStore, JobRecord, T> operation) => Guard(() =>
    {
        var store = StoreOf(name);
        return operation(store, JobStoreOpening.FindJob(store, name));
    });

    /// <summary>The store that holds the job named, if any: with no store yet, there is no such job.</summary>
    private IJobStore StoreOf(string jobName) => _store ?? throw JobStoreErrorRecords.JobNotFound(jobName, _location, storeExists: false);

    private T Guard<T>(Func<T> query) => JobStoreErrorRecords.Guard(_location, query);

    public void Dispose() => _store?.Dispose();
}
