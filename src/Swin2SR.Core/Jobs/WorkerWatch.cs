using System.Diagnostics;

namespace Swin2SR.Core.Jobs;

/// <summary>A worker's heartbeats and its ear for Stop-Swin2SRJob, while its <see cref="JobRunner"/> works on the job.</summary>
internal sealed class WorkerWatch(IJobStore store, long jobId, string workerId, TimeSpan leaseDuration)
{
    internal static readonly TimeSpan StopPollInterval = TimeSpan.FromSeconds(1);

    // Why the watcher gave up (the store failed past its retries): the run ends with it rather than as if done.
    private Exception? _failure;

    /// <summary>True when the run ended because a Stop was requested for the job.</summary>
    public bool StoppedByRequest { get; private set; }

    /// <summary>The store's failure that ended the watch; null while it watches, or when it ended otherwise.</summary>
    public Exception? Failure => Volatile.Read(ref _failure);

    /// <summary>
    /// Renews leases (a third of the lease time) and polls for a Stop request (every second). When the store fails
    /// for good (past its retries), the run ends with that error: a worker that went on without heartbeats would
    /// lose its leases while it works, other workers would take its images over and do them twice, and a Stop
    /// would go unheard.
    /// </summary>
    /// <param name="stop">Cancelled when a Stop is requested, or the store fails for good: the whole run stops.</param>
    public async Task RunAsync(CancellationTokenSource stop, CancellationToken token)
    {
        try
        {
            var sinceHeartbeat = Stopwatch.StartNew();
            while (!token.IsCancellationRequested)
            {
                await Task.Delay(StopPollInterval, token).ConfigureAwait(false);
                if (store.IsStopRequested(jobId))
                {
                    StoppedByRequest = true;
                    stop.Cancel();
                    return;
                }
                if (sinceHeartbeat.Elapsed >= leaseDuration / 3)
                {
                    store.Heartbeat(jobId, workerId, DateTimeOffset.UtcNow + leaseDuration);
                    sinceHeartbeat.Restart();
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Volatile.Write(ref _failure, e);
            stop.Cancel();
        }
    }
}
