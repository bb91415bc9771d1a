using System.Management.Automation;
using Swin2SR.Core.Jobs;

namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// The bridge for the job-management cmdlets: opens the store, finds jobs by wildcard, and converts the engine's
/// records into PowerShell-side objects. Engine types stay inside.
/// </summary>
internal sealed class JobStoreQueries : IDisposable
{
    private readonly IJobStore _store;

    private JobStoreQueries(IJobStore store) => _store = store;

    public static JobStoreQueries Open(JobStoreTarget target, JobStoreAccess access) => new(UpscaleRun.OpenStore(target, access));

    /// <summary>For the status and management commands: a server that cannot be reached is an error within seconds.</summary>
    public static JobStoreQueries OpenToQuery(JobStoreTarget target) => Open(target, JobStoreAccess.Query);

    /// <summary>For tab completion: reads only a store that exists, and never waits for a server.</summary>
    public static JobStoreQueries OpenExisting(JobStoreTarget target) => Open(target, JobStoreAccess.Completion);

    public string Location => _store.Location;

    /// <summary>Job names matching a wildcard pattern (every job when null), in creation order.</summary>
    public IReadOnlyList<string> Names(string? pattern)
    {
        var wildcard = new WildcardPattern(pattern ?? "*", WildcardOptions.IgnoreCase);
        return Guard(() => _store.ListJobs().Where(j => wildcard.IsMatch(j.Name)).Select(j => j.Name).ToList());
    }

    public Swin2SRJobInfo Summary(string name) => Guard(() =>
    {
        var job = UpscaleRun.FindJob(_store, name);
        var s = _store.Summarize(job, w => WorkerIdentity.IsAlive(w, JobRunner.DefaultLeaseDuration));
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
            PercentComplete = Math.Round(s.PercentComplete, 1),
            ImagesPerSecond = Math.Round(s.ImagesPerSecond, 2),
            EstimatedRemaining = s.EstimatedRemaining,
            Created = job.Created.LocalDateTime,
            Started = s.FirstStarted?.LocalDateTime,
            Updated = job.Updated.LocalDateTime,
            LastFinished = s.LastFinished?.LocalDateTime,
            Workers = s.Workers.Select(DescribeWorker).ToArray(),
            Model = Path.GetFileNameWithoutExtension(job.Options.ModelPath),
            OutputDirectory = job.Options.OutputDirectory,
            Store = _store.Location,
        };
    });

    /// <summary>"host:pid (device, n done, r/s)": with workers on several hosts, who does how much.</summary>
    private static string DescribeWorker(WorkerRecord w)
    {
        double seconds = (DateTimeOffset.UtcNow - w.Started).TotalSeconds;
        return $"{w.Host}:{w.ProcessId} ({w.Device}, {w.Processed} done, {(seconds > 0 ? w.Processed / seconds : 0):0.##}/s)";
    }

    public IEnumerable<Swin2SRJobItem> Items(string name, IReadOnlyCollection<Swin2SRJobItemStatus>? statuses)
    {
        var wanted = statuses?.Select(s => Enum.Parse<ItemStatus>(s.ToString())).ToList();
        var records = Guard(() => _store.Items(UpscaleRun.FindJob(_store, name).Id, wanted));
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
            Metrics = QualityMetricsOutput.FromJson(r.Metrics),
        });
    }

    public void RequestStop(string name) => Guard(() => _store.RequestStop(UpscaleRun.FindJob(_store, name).Id));

    public void Remove(string name, bool workersRunning) => Guard(() => JobRemoval.Remove(_store, UpscaleRun.FindJob(_store, name).Id, workersRunning));

    /// <summary>Runs an operation on the store, turning store failures into setup errors.</summary>
    internal void Guard<T>(Func<IJobStore, T> operation) => Guard(() => operation(_store));

    private T Guard<T>(Func<T> query)
    {
        try
        {
            return query();
        }
        catch (JobStoreException e)
        {
            throw UpscaleRun.StoreFailure(e, _store.Location);
        }
    }

    private void Guard(Action action) => Guard(() => { action(); return 0; });

    public void Dispose() => _store.Dispose();
}
