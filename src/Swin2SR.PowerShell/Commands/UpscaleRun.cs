using System.Management.Automation;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Jobs;

namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// The bridge between the upscaling cmdlets and the engine: one job run by this process, started by
/// <see cref="UpscaleRunStarter"/>. All engine types stay inside these internal classes, so no cmdlet's public surface
/// (loaded in PowerShell's context) names a type from the module's private context; everything handed back is a
/// PowerShell-side object.
/// </summary>
internal sealed class UpscaleRun : IDisposable
{
    private readonly IJobStore _store;
    private readonly IReadOnlyList<ITileRunner> _devices;
    private readonly JobRunner _runner;
    private readonly CancellationTokenSource _cancellation;
    private readonly TerminationSignals _signals;

    private readonly long _jobId;

    /// <param name="warnings">How the devices were chosen, and what else the run's start has to say: shown before the runner's notes.</param>
    /// <param name="bytesCountedOn">The input bytes of the items the run counted on at its start (see <see cref="Remaining"/>).</param>
    internal UpscaleRun(IJobStore store, IReadOnlyList<ITileRunner> devices, JobRunner runner, CancellationTokenSource cancellation, JobRecord job, int total,
        string modelPath, int scale, IEnumerable<string> warnings, long bytesCountedOn = 0)
    {
        _store = store;
        _devices = devices;
        _runner = runner;
        _cancellation = cancellation;
        _jobId = job.Id;
        JobName = job.Name;
        Total = total;
        ModelName = Path.GetFileNameWithoutExtension(modelPath);
        Scale = scale;
        _deviceWarnings = new(warnings);
        _bytesCountedOn = bytesCountedOn;
        _signals = TerminationSignals.Guard(this);
    }

    public string JobName { get; }

    /// <summary>The job's name as an argument of a command a message suggests (a job may be named o'brien).</summary>
    public string JobNameArgument => Completion.CompletionArgument.Quoted(JobName);
    public int Total { get; }
    public string ModelName { get; }
    public int Scale { get; }
    public string StoreLocation => _store.Location;

    /// <summary>What the commands in the run's messages add to find its job: see <see cref="JobStoreTarget.Argument"/>.</summary>
    public string StoreArgument { get; set; } = "";
    public bool StoppedByRequest => _runner.StoppedByRequest;

    /// <summary>The images in flight, each counted as the share of its tiles done: progress within a long image.</summary>
    public double ImagesInFlight => _runner.ImagesInFlight;

    /// <summary>The input files of the images being upscaled, the one begun first first.</summary>
    public IReadOnlyList<string> InputsInFlight => _runner.InputsInFlight;

    private readonly long _bytesCountedOn;

    /// <summary>The time remaining by the run's work in input bytes (see <see cref="WorkBytes"/>); null before any is done, or when no size is known.</summary>
    public TimeSpan? Remaining(TimeSpan elapsed) => _runner.Work(_bytesCountedOn).Remaining(elapsed);

    /// <summary>How many results the run has in hand or underway: more than <see cref="Total"/> once other runs handed it their inputs.</summary>
    public int ImagesTakenUp => _runner.ItemsTakenUp;

    /// <summary>
    /// True when the job is no longer in the store, or a new job of that name took its place: Remove-Swin2SRJob -Force
    /// deleted it while this run worked on it. The run then ends early, as its next claim finds nothing, which would
    /// otherwise read like a job done. Asked once the run is over; a store that cannot answer now counts as not removed.
    /// </summary>
    public bool JobRemoved
    {
        get
        {
            try
            {
                return _store.FindJob(JobName)?.Id != _jobId;
            }
            catch (JobStoreException)
            {
                return false;
            }
        }
    }
    public OutputDiskStop? StoppedForOutputDisk => _runner.StoppedForOutputDisk;

    /// <summary>Waits up to <paramref name="timeout"/> for the next result; null when none came (or the run is over).</summary>
    public Swin2SRUpscaleResult? Next(TimeSpan timeout, out ErrorRecord? error)
    {
        error = null;
        var reader = _runner.Results;
        if (!reader.TryRead(out var result))
        {
            var waiting = reader.WaitToReadAsync().AsTask();
            // A run that failed completes its results with the error: IsComplete reports it, not this wait.
            if (!waiting.ContinueWith(_ => { }, TaskScheduler.Default).Wait(timeout) || !reader.TryRead(out result))
                return null;
        }
        error = UpscaleResultOutput.ErrorOf(result);
        return UpscaleResultOutput.From(result, JobName, StoreLocation);
    }

    /// <summary>True once every result has been read; rethrows a failure of the engine or the store.</summary>
    public bool IsComplete
    {
        get
        {
            if (!_runner.Results.Completion.IsCompleted || _runner.Results.TryPeek(out _))
                return false;
            // The results carry the run's failure as soon as it is known; the runner itself completes only after
            // handing its leases back, which against a store that is down takes the store's whole retry budget.
            if (_runner.Results.Completion.Exception?.GetBaseException() is { } failure && !_cancellation.IsCancellationRequested)
            {
                throw failure switch
                {
                    JobStoreException s => JobStoreErrorRecords.StoreFailure(s, StoreLocation),
                    ModelLoadException m => ModelLookup.LoadFailed(m, m.ModelPath),
                    _ => failure,
                };
            }
            return true;
        }
    }

    public void Cancel() => _cancellation.Cancel();

    private Queue<string> _deviceWarnings;

    /// <summary>
    /// Leaves out the device warnings a command already showed for an earlier run (several jobs resumed in one
    /// pipeline each said "Running on the CPU ..."), and records the rest as shown.
    /// </summary>
    public void LeaveOutDeviceWarningsShown(HashSet<string> shown) => _deviceWarnings = new(_deviceWarnings.Where(shown.Add));

    /// <summary>How the devices were chosen, then what the scheduler adapted (smaller batches or tiles, a failed device): warnings.</summary>
    public bool TryTakeNote(out string note) => _deviceWarnings.TryDequeue(out note!) || _runner.TryTakeNote(out note);

    public bool TryTakeDetail(out string detail) => _runner.TryTakeDetail(out detail);

    /// <summary>Waits for the workers to let go of their files and leases after a cancel (temp files are removed by then).</summary>
    public void WaitForShutdown(TimeSpan timeout)
    {
        try
        {
            _runner.Completion.Wait(timeout);
        }
        catch (AggregateException)
        {
            // Cancellation surfaces here; the caller is already stopping.
        }
    }

    public void Dispose()
    {
        _signals.Dispose();
        _cancellation.Cancel();
        WaitForShutdown(TimeSpan.FromSeconds(10));
        foreach (var device in _devices)
            device.Dispose();
        _store.Dispose();
        _cancellation.Dispose();
    }
}
