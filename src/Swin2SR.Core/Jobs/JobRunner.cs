using System.Collections.Concurrent;
using System.Threading.Channels;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Pipeline;

namespace Swin2SR.Core.Jobs;

/// <summary>
/// Runs a job's pending items through the pipeline as one worker: claims items under a lease as the pipeline
/// has room, keeps the leases alive (<see cref="WorkerWatch"/>), commits each outcome to the journal before handing
/// it on (<see cref="JobJournal"/>), and stops when the job runs dry (and no other worker holds items it might leave
/// behind), on Ctrl+C, or when a Stop is requested from any session. Several runners (in several processes or on
/// several hosts) may work on one job at once; the store's claims keep them apart.
/// </summary>
public sealed class JobRunner
{
    /// <summary>
    /// Outlives a store outage that its worker rides out: a worker retries a store it lost for up to a minute
    /// (<see cref="JobStoreAccess.Run"/>) and renews its leases a third of a lease at a time, so a lease renewed just
    /// before an outage of a whole minute still holds when the store is back. At 60 s, an outage of 40-60 s let the
    /// leases of live workers run out, and another worker could take their begun images: done twice, and counted
    /// against them as lost workers.
    /// </summary>
    public static readonly TimeSpan DefaultLeaseDuration = TimeSpan.FromSeconds(120);
    internal const int ClaimBatch = 8;
    /// <summary>How often a worker may be lost on an item before the item fails as WorkerLost instead of running again.</summary>
    public const int MaxLostLeases = 3;

    private readonly IJobStore _store;
    private readonly JobRecord _job;
    private readonly IReadOnlyList<ITileRunner> _devices;
    private readonly UpscaleOptions _options;
    private readonly TimeSpan _leaseDuration;
    private readonly PathMap _paths;
    private readonly WorkerRecord _worker;
    private readonly Channel<UpscaleItem> _claimed = Channel.CreateBounded<UpscaleItem>(new BoundedChannelOptions(ClaimBatch) { SingleWriter = true });
    private readonly Channel<UpscaleResult> _results = Channel.CreateUnbounded<UpscaleResult>(new UnboundedChannelOptions { SingleWriter = true, SingleReader = true });
    private readonly CancellationTokenSource _stop;

    private readonly ConcurrentQueue<string> _details = new();
    private readonly ConcurrentQueue<string> _notes = new();
    private UpscalePipeline? _pipeline;
    // Leases this worker holds: items claimed and not yet committed (see RunAsync).
    private SemaphoreSlim? _leases;
    // Items handed to the pipeline whose outcomes are not committed yet: none, before a suspect runs alone.
    private int _uncommitted;
    // Items this worker has begun and not committed (see Begin); also the lock that makes each begin one step.
    private readonly HashSet<long> _begun = [];
    // See ItemsTakenUp.
    private int _takenUp;
    // See Work: the input bytes of the items begun (those of the outcomes committed are the journal's).
    private long _bytesTakenUp;
    private bool _warnedOfSuspects;
    private readonly WorkerWatch _watch;
    private readonly JobJournal _journal;

    private JobRunner(IJobStore store, JobRecord job, IReadOnlyList<ITileRunner> devices, UpscaleOptions options, TimeSpan leaseDuration, PathMap paths, CancellationToken cancellation,
        string? accepts = null, string? outputHash = null)
    {
        _store = store;
        _job = job;
        _devices = devices;
        _options = options;
        _leaseDuration = leaseDuration;
        _paths = paths;
        _worker = WorkerIdentity.ForThisProcess(string.Join(",", devices.Select(d => d.Device))) with { Accepts = accepts };
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        _watch = new WorkerWatch(store, job.Id, _worker.Id, leaseDuration);
        _journal = new JobJournal(store, job, _worker.Id, leaseDuration, outputHash, _results.Writer, _stop, _notes, _details);
    }

    /// <summary>Outcomes, each already committed to the journal.</summary>
    public ChannelReader<UpscaleResult> Results => _results.Reader;

    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>True when the run ended because a Stop was requested for the job.</summary>
    public bool StoppedByRequest => _watch.StoppedByRequest;

    /// <summary>
    /// Where and why the run ended because outputs kept failing for a full or read-only disk (<see cref="OutputDiskBreaker"/>);
    /// null when it did not. The items not done go back to Pending, as after a Stop.
    /// </summary>
    public OutputDiskStop? StoppedForOutputDisk => _journal.StoppedForOutputDisk;

    public string WorkerId => _worker.Id;

    /// <summary>The images in flight, each counted as the share of its tiles done (progress within a long image).</summary>
    public double ImagesInFlight => _pipeline?.ImagesInFlight ?? 0;

    /// <summary>The input files of the images being upscaled, the one begun first first (what progress names).</summary>
    public IReadOnlyList<string> InputsInFlight => _pipeline?.InputsInFlight ?? [];

    /// <summary>
    /// How many results the run has in hand or underway: the inputs reported done already, and the items it has begun
    /// (each ends in a result, unless another worker took it over meanwhile). More than the run counted on at its start
    /// when other runs handed it their inputs.
    /// </summary>
    public int ItemsTakenUp => Volatile.Read(ref _takenUp);

    /// <summary>
    /// The run's work in input bytes, <paramref name="countedOn"/> the bytes of the items it counted on at its start:
    /// more once it begins items handed to it. Outcomes count once committed, the images in flight by their tiles done.
    /// </summary>
    public WorkBytes Work(long countedOn)
    {
        // Read before the committed bytes: an image committed meanwhile may then count twice for a moment, never not at all.
        double inFlight = _pipeline?.BytesInFlight ?? 0;
        long worked = _journal.BytesWorked, skipped = _journal.BytesSkipped, takenUp = Interlocked.Read(ref _bytesTakenUp);
        return new(Math.Max(countedOn, takenUp), Math.Min(worked + inFlight, takenUp - skipped), skipped);
    }

    /// <summary>
    /// The most items this worker leases at once: what its pipeline holds, the claimed channel's items, the claim
    /// being handed over, and a journal batch of outcomes waiting for their commit, which keeps the pipeline busy
    /// while the journal keeps up.
    /// </summary>
    internal int LeaseLimit { get; private set; }

    /// <summary>What the scheduler had to adapt during the run (smaller batches or tiles, a failed device, images a lost worker left).</summary>
    public bool TryTakeNote(out string note)
    {
        if (_notes.TryDequeue(out note!))
            return true;
        note = "";
        return _pipeline is { } pipeline && pipeline.TryTakeNote(out note);
    }

    /// <summary>What is worth a verbose line (batch sizes chosen, the tiling overhead at the end, waiting for other workers).</summary>
    public bool TryTakeDetail(out string detail)
    {
        if (_details.TryDequeue(out detail!))
            return true;
        detail = "";
        return _pipeline is { } pipeline && pipeline.TryTakeDetail(out detail);
    }

    /// <param name="alreadyDone">Results to report first (inputs the journal says are done), before any work.</param>
    /// <param name="paths">Where this host sees the items' files (shared storage mounted elsewhere than where the job was created).</param>
    /// <param name="outputHash">The <see cref="JobOptions.OutputHash"/> of the options and model this run works with, recorded
    /// with each outcome (see <see cref="ItemOutcome.OptionsHash"/>); null: each item keeps the one it was added with.</param>
    /// <param name="accepts">The <see cref="JobHandOff.Signature"/> of this run, for runs of this host with the same one to hand it
    /// their new inputs while it still claims new items; null: it takes none handed to it (it still claims whatever is pending).</param>
    public static JobRunner Start(IJobStore store, JobRecord job, IReadOnlyList<ITileRunner> devices, IEnumerable<UpscaleResult> alreadyDone,
        CancellationToken cancellation, TimeSpan? leaseDuration = null, PathMap? paths = null, string? accepts = null, string? outputHash = null)
    {
        var runner = new JobRunner(store, job, devices, job.Options.ToUpscaleOptions(), leaseDuration ?? DefaultLeaseDuration, paths ?? PathMap.None, cancellation,
            accepts, outputHash);
        runner.Report(alreadyDone);
        runner.Completion = runner.RunAsync();
        return runner;
    }

    /// <summary>
    /// A run with nothing to work on (every input done, no item pending or held by a worker): it reports the inputs
    /// already done and ends, with no device, no model and no worker registered.
    /// </summary>
    public static JobRunner Finished(IJobStore store, JobRecord job, IEnumerable<UpscaleResult> alreadyDone)
    {
        var runner = new JobRunner(store, job, [], job.Options.ToUpscaleOptions(), DefaultLeaseDuration, PathMap.None, CancellationToken.None);
        runner.Report(alreadyDone);
        runner._results.Writer.TryComplete();
        return runner;
    }

    private void Report(IEnumerable<UpscaleResult> alreadyDone)
    {
        foreach (var result in alreadyDone)
        {
            _results.Writer.TryWrite(result);
            Interlocked.Increment(ref _takenUp);
        }
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        Task feeder = Task.CompletedTask, watcher = Task.CompletedTask;
        bool registered = false;
        try
        {
            _store.RegisterWorker(_job.Id, _worker);
            registered = true;
            var pipeline = _pipeline = UpscalePipeline.Start(_devices, _claimed.Reader, _options, token, Begin);
            LeaseLimit = pipeline.ItemsHeld + 2 * ClaimBatch + JobJournal.Batch;
            // The pipeline alone does not bound the leases: it frees its room when an image is written, and its
            // outcome may then wait for the journal (a store slow to answer, a process still starting up: seen 104
            // items claimed with none committed). Bounded here, a worker claims no further ahead of its journal than
            // it needs to stay busy, so others get their share and a worker that dies leaves only that many leases
            // to take over.
            var leases = _leases = new SemaphoreSlim(LeaseLimit);
            feeder = Task.Run(() => FeedAsync(pipeline, leases, token));
            watcher = Task.Run(() => _watch.RunAsync(_stop, token));
            await _journal.RunAsync(pipeline, batch => LetGo(batch, leases)).ConfigureAwait(false);
            await feeder.ConfigureAwait(false);
            _results.Writer.TryComplete();
        }
        catch (Exception e) when ((e is OperationCanceledException || token.IsCancellationRequested) && _watch.Failure is { } watchFailure)
        {
            _results.Writer.TryComplete(watchFailure);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(watchFailure);
        }
        catch (Exception e) when (e is OperationCanceledException || token.IsCancellationRequested)
        {
            _results.Writer.TryComplete();
        }
        catch (Exception e)
        {
            // Whatever failed (the store, a setup the pipeline refused), the reader must learn of it, not wait.
            _results.Writer.TryComplete(e);
            throw;
        }
        finally
        {
            _stop.Cancel();
            await Task.WhenAll(watcher.ContinueWith(_ => { }, TaskScheduler.Default), feeder.ContinueWith(_ => { }, TaskScheduler.Default)).ConfigureAwait(false);
            // Items claimed but not finished go back to Pending for the next Resume.
            if (registered)
                _store.UnregisterWorker(_job.Id, _worker.Id);
            _stop.Dispose();
            _leases?.Dispose();
        }
    }

    /// <summary>
    /// Claims a few items at a time, only as fast as the pipeline takes them and within the lease limit, so other
    /// workers get their share. When no fresh item is left it takes queued items from a worker that has more than it
    /// will begin soon (a small job shared by workers that started one after the other), then suspects (items a
    /// worker lost), one at a time. With nothing left to claim it stays while other workers hold items: one that dies
    /// leaves them to whoever is still running, not to the next Resume. A worker that takes items handed to it says
    /// so in its row as long as it claims, standing by included (see <see cref="JobHandOff"/>).
    /// </summary>
    private async Task FeedAsync(UpscalePipeline pipeline, SemaphoreSlim leases, CancellationToken token)
    {
        // What the worker's row says: registered with what it accepts, if anything.
        bool accepting = _worker.Accepts is not null;
        try
        {
            bool standingBy = false;
            while (!token.IsCancellationRequested)
            {
                for (int i = 0; i < ClaimBatch; i++)
                    await leases.WaitAsync(token).ConfigureAwait(false);
                RecoverDeadLocalWorkers();
                var claimed = _store.Claim(_job.Id, _worker.Id, ClaimBatch, LeaseUntil);
                bool fresh = claimed.Count > 0;
                if (!fresh && _store.StealQueued(_job.Id, _worker.Id, ClaimBatch, LeaseUntil) is { Count: > 0 } stolen)
                {
                    _details.Enqueue($"Took {stolen.Count} queued {(stolen.Count == 1 ? "image" : "images")} over from a worker that held more than it could begin soon.");
                    claimed = stolen;
                }
                if (claimed.Count < ClaimBatch)
                    leases.Release(ClaimBatch - claimed.Count);
                foreach (var c in claimed)
                    await HandOverAsync(ToItem(c), token).ConfigureAwait(false);
                if (claimed.Count > 0 || await TakeOverSuspectAsync(pipeline, leases, token).ConfigureAwait(false))
                {
                    accepting = AcceptAgain(accepting, fresh ? "Images were added to the job as this run was about to end: it goes on with them." : null);
                    continue;
                }
                int heldByOthers = _store.ItemsHeldByOthers(_job.Id, _worker.Id);
                if (heldByOthers == 0)
                {
                    if (!accepting)
                        break;
                    // The handshake of JobHandOff: said before the last claim, so that a run reading this row after
                    // committing its items either finds it cleared (and runs them itself) or had them committed
                    // before that claim began (which then finds them).
                    _store.SetAccepts(_job.Id, _worker.Id, null);
                    accepting = false;
                    continue;
                }
                // Standing by, it claims again every second: items handed to it are still taken.
                accepting = AcceptAgain(accepting, null);
                if (!standingBy)
                    _details.Enqueue($"Nothing left to claim; staying until the other workers finish the {heldByOthers} {(heldByOthers == 1 ? "item" : "items")} they hold, to take over any that one leaves behind.");
                standingBy = true;
                await Task.Delay(WorkerWatch.StopPollInterval, token).ConfigureAwait(false);
            }
        }
        finally
        {
            _claimed.Writer.TryComplete();
            if (accepting && token.IsCancellationRequested)
                StopAccepting();
        }
    }

    /// <summary>
    /// A run that stops (Stop-Swin2SRJob, Ctrl+C, a full disk) takes no more inputs from runs that start meanwhile: they
    /// run them themselves instead of leaving them Pending for the next run. Its row goes anyway as it ends; a store
    /// that does not answer now leaves the row saying it accepts until then.
    /// </summary>
    private void StopAccepting()
    {
        try
        {
            _store.SetAccepts(_job.Id, _worker.Id, null);
        }
        catch (JobStoreException)
        {
        }
    }

    private DateTimeOffset LeaseUntil => DateTimeOffset.UtcNow + _leaseDuration;

    /// <summary>
    /// A worker that stopped accepting before its last claim, and goes on claiming after all, says again what it
    /// accepts (and <paramref name="detail"/>, when given); true when it accepts anything.
    /// </summary>
    private bool AcceptAgain(bool accepting, string? detail)
    {
        if (accepting || _worker.Accepts is not { } signature)
            return accepting;
        _store.SetAccepts(_job.Id, _worker.Id, signature);
        if (detail is not null)
            _details.Enqueue(detail);
        return true;
    }

    /// <summary>
    /// Tells the store this worker starts on the item now (the pipeline asks as it takes the item up). One that another
    /// worker took over while it waited in this worker's queue is dropped, and its lease with it. So is a second copy:
    /// a worker that takes back items another took from it (<see cref="IJobStore.StealQueued"/>) holds them twice
    /// while its own copies still wait in its channel, and the store lets its owner begin an item again, so each
    /// copy would be upscaled (seen: the second failed as OutputCollision, or its failure was what the job kept).
    /// Under the lock, a copy dropped because it was taken over is out of the set before the other can be checked.
    /// </summary>
    private bool Begin(UpscaleItem item)
    {
        lock (_begun)
        {
            if (!_begun.Contains(item.Id) && _store.TryBegin(_worker.Id, item.Id))
            {
                _begun.Add(item.Id);
                Interlocked.Increment(ref _takenUp);
                Interlocked.Add(ref _bytesTakenUp, item.InputLength);
                return true;
            }
        }
        Interlocked.Decrement(ref _uncommitted);
        _leases!.Release();
        return false;
    }

    private UpscaleItem ToItem(ClaimedItem c) => new(_paths.Map(c.InputPath), _paths.Map(c.OutputPath), c.OutputFormat, c.Id, c.MayOverwrite, c.Interrupted,
        c.InputLength, c.OutputOwner is { } owner ? _paths.Map(owner) : null, OutputOwnerJob: c.OutputOwnerJob);

    private async Task HandOverAsync(UpscaleItem item, CancellationToken token)
    {
        Interlocked.Increment(ref _uncommitted);
        await _claimed.Writer.WriteAsync(item, token).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs one item that a worker lost, alone: once everything before it is committed, and nothing else until its
    /// own outcome is. Should this worker crash on it, the loss then counts against that image only, not against
    /// whatever else was in flight. After <see cref="MaxLostLeases"/> losses it is failed as WorkerLost unrun, so that
    /// an image that crashes every worker cannot keep a job (or a whole fleet) from ever finishing.
    /// </summary>
    /// <returns>False when there was none to take over.</returns>
    private async Task<bool> TakeOverSuspectAsync(UpscalePipeline pipeline, SemaphoreSlim leases, CancellationToken token)
    {
        await UntilCommittedAsync(token).ConfigureAwait(false);
        await leases.WaitAsync(token).ConfigureAwait(false);
        if (_store.ClaimSuspect(_job.Id, _worker.Id, LeaseUntil) is not { } suspect)
        {
            leases.Release();
            return false;
        }
        var item = ToItem(suspect);
        if (suspect.LostLeases >= MaxLostLeases)
        {
            Interlocked.Increment(ref _uncommitted);
            pipeline.ReportUnprocessed(item, WorkerLost(item.InputPath, suspect.LostLeases));
            return true;
        }
        if (!_warnedOfSuspects)
            _notes.Enqueue("Taking over images that a worker left unfinished when it ended (crashed, killed, its host lost, or its job store down for longer than it waits): each runs alone, "
                + $"and one whose worker is lost {MaxLostLeases} times fails as WorkerLost. Other workers' logs, or the system log, tell why they ended.");
        _warnedOfSuspects = true;
        _details.Enqueue($"Running '{item.InputPath}' alone: its worker was lost {suspect.LostLeases} time(s).");
        await HandOverAsync(item, token).ConfigureAwait(false);
        await UntilCommittedAsync(token).ConfigureAwait(false);
        return true;
    }

    private static ImageInputException WorkerLost(string path, int losses) => new("WorkerLost", ImageErrorKind.WorkerLost, path,
        $"the worker processing this image ended without finishing it {losses} times (its process crashed or was killed; after the first "
        + "time it was the only image in hand), so it is left out for the job to finish. Check that the image opens in another tool, "
        + "then try it again with Resume-Swin2SRJob -RetryFailed.");

    // Polled: commits come in batches, a journal latency apart at most, so a few milliseconds of delay cost nothing.
    private async Task UntilCommittedAsync(CancellationToken token)
    {
        while (Volatile.Read(ref _uncommitted) > 0)
            await Task.Delay(10, token).ConfigureAwait(false);
    }

    /// <summary>A worker on this host whose process is gone (killed, crashed, rebooted) cannot finish: free its items now.</summary>
    private void RecoverDeadLocalWorkers()
    {
        var dead = _store.Workers(_job.Id)
            .Where(w => w.Id != _worker.Id && !WorkerIdentity.IsAlive(w, _leaseDuration))
            .Select(w => w.Id)
            .ToList();
        if (dead.Count > 0)
            _store.ExpireWorkers(_job.Id, dead);
    }

    /// <summary>A batch's outcomes are in the journal: the worker lets go of its items and their leases.</summary>
    private void LetGo(List<UpscaleResult> batch, SemaphoreSlim leases)
    {
        lock (_begun)
            _begun.ExceptWith(batch.Select(r => r.Item.Id));
        Interlocked.Add(ref _uncommitted, -batch.Count);
        leases.Release(batch.Count);
    }
}
