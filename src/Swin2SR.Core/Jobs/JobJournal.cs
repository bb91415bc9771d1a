using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Swin2SR.Core.Pipeline;

namespace Swin2SR.Core.Jobs;

/// <summary>
/// A worker's outcomes on their way to the job's journal: committed in small batches (one transaction each), and
/// only then reported. Outcomes of items another worker took over meanwhile are left out, and a full or read-only
/// output disk stops the run (<see cref="OutputDiskBreaker"/>).
/// </summary>
/// <param name="outputHash">What this run's outputs are made with (JobOptions.OutputHash), recorded with each outcome; null: left as added.</param>
/// <param name="results">Where the outcomes go once committed.</param>
/// <param name="stop">Cancelled when outputs keep failing for a full or read-only disk; once cancelled (by anyone), the outcomes
/// already read are still committed as the run ends.</param>
/// <param name="notes">Warnings for the command: images taken over by another worker, the first time.</param>
/// <param name="details">Verbose lines: images taken over by another worker, after the first time.</param>
internal sealed class JobJournal(IJobStore store, JobRecord job, string workerId, TimeSpan leaseDuration, string? outputHash, ChannelWriter<UpscaleResult> results,
    CancellationTokenSource stop, ConcurrentQueue<string> notes, ConcurrentQueue<string> details)
{
    internal const int Batch = 64;
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(200);

    private readonly OutputDiskBreaker _outputDisk = new();
    // See JobRunner.Work: the input bytes of the outcomes committed (upscaled or failed, and skipped).
    private long _bytesWorked, _bytesSkipped;
    private bool _warnedOfTakeOver;

    /// <summary>See <see cref="JobRunner.StoppedForOutputDisk"/>.</summary>
    public OutputDiskStop? StoppedForOutputDisk => _outputDisk.Tripped;

    public long BytesWorked => Interlocked.Read(ref _bytesWorked);

    public long BytesSkipped => Interlocked.Read(ref _bytesSkipped);

    /// <summary>Commits outcomes in small batches (one transaction each) and only then reports them.</summary>
    /// <param name="committed">Told of each batch once the store has it, before it is reported: the worker lets go of its items.</param>
    public async Task RunAsync(UpscalePipeline pipeline, Action<List<UpscaleResult>> committed)
    {
        var reader = pipeline.Results;
        var batch = new List<UpscaleResult>(Batch);
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                var deadline = Stopwatch.StartNew();
                while (batch.Count < Batch && deadline.Elapsed < Latency)
                {
                    if (reader.TryRead(out var result))
                    {
                        batch.Add(result);
                        // At once, not at the commit: the images computed meanwhile would be computed for nothing.
                        if (_outputDisk.Observe(result))
                            stop.Cancel();
                    }
                    else if (!await WaitBriefly(reader, Latency - deadline.Elapsed).ConfigureAwait(false))
                        break;
                }
                Commit(batch, committed);
            }
        }
        catch (Exception e) when (stop.IsCancellationRequested && e is not JobStoreException)
        {
            // The run stops (a Stop request, Ctrl+C, a full disk): the outcomes already read are still committed and
            // reported, among them the full disks that stopped it; only the images still in flight go back to Pending.
            // The pipeline ends with a cancellation, or with what a device's run said when it was terminated.
            Commit(batch, committed);
            throw;
        }
        Commit(batch, committed);
        await pipeline.Completion.ConfigureAwait(false);
    }

    private static async Task<bool> WaitBriefly(ChannelReader<UpscaleResult> reader, TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
            return false;
        var waiting = reader.WaitToReadAsync().AsTask();
        return await Task.WhenAny(waiting, Task.Delay(timeout)).ConfigureAwait(false) == waiting && await waiting.ConfigureAwait(false);
    }

    private void Commit(List<UpscaleResult> batch, Action<List<UpscaleResult>> committed)
    {
        if (batch.Count == 0)
            return;
        var kept = store.Complete(workerId, batch.Select(r => ToOutcome(r) with { OptionsHash = outputHash }).ToList());
        committed(batch);
        var takenOver = batch.Where(r => !kept.Contains(r.Item.Id)).ToList();
        // Items of a job removed meanwhile (Remove-Swin2SRJob -Force) are not another worker's: their outcomes are
        // still reported, and the command says the job is gone.
        if (takenOver.Count > 0 && store.FindJob(job.Name)?.Id == job.Id)
        {
            NoteTakenOver(takenOver.ConvertAll(r => r.Item.InputPath));
            batch.RemoveAll(takenOver.Contains);
        }
        foreach (var result in batch)
        {
            Interlocked.Add(ref result.Status == UpscaleStatus.Skipped ? ref _bytesSkipped : ref _bytesWorked, result.Item.InputLength);
            results.TryWrite(result);
        }
        batch.Clear();
    }

    /// <summary>
    /// Another worker took these items over when this one's leases lapsed; the job keeps that worker's outcome, so
    /// this one's (often an OutputCollision, the other having written the output first) would only mislead. Said
    /// once as a warning, then as details: the images of one pause come back a journal batch at a time.
    /// </summary>
    private void NoteTakenOver(List<string> inputs)
    {
        string count = $"{inputs.Count} {(inputs.Count == 1 ? "image was" : "images were")} taken over by another worker";
        string which = $"'{inputs[0]}'{(inputs.Count > 1 ? $" and {inputs.Count - 1} more" : "")}";
        if (_warnedOfTakeOver)
        {
            details.Enqueue($"{count} as well; the job has that worker's outcome, and this one's is left out: {which}.");
            return;
        }
        _warnedOfTakeOver = true;
        notes.Enqueue($"{count} while this one went more than its {leaseDuration.TotalSeconds:0} s lease without renewing it (the process was "
            + $"paused or suspended, or could not reach the job store), so the job has that worker's outcome and this one's is left out: {which}.");
    }

    private static ItemOutcome ToOutcome(UpscaleResult r) => new(
        r.Item.Id,
        r.Status switch { UpscaleStatus.Succeeded => ItemStatus.Succeeded, UpscaleStatus.Skipped => ItemStatus.Skipped, _ => ItemStatus.Failed },
        r.Error?.ErrorId, r.Error?.Message, (long)r.Duration.TotalMilliseconds, r.InputWidth, r.InputHeight, r.OutputWidth, r.OutputHeight,
        r.Metrics?.ToJson(), ReadAs: r.Item.ReadAs, Warnings: r.Warnings);
}
