namespace Swin2SR.Core.Jobs;

/// <summary>Derives a job's state, rate and time remaining from its counts: the same rules for every store.</summary>
internal static class JobSummaries
{
    /// <param name="finishedRecently">Items finished within <paramref name="rateWindowMs"/> before now.</param>
    /// <param name="lastStretch">Items finished within <paramref name="rateWindowMs"/> before the last one, and the earliest start among them.</param>
    public static JobSummary Build(JobRecord job, long[] counts, long? firstStartedMs, long? lastFinishedMs, long finishedRecently,
        (long Count, long? StartedMs) lastStretch, long rateWindowMs, long nowMs, IReadOnlyList<WorkerRecord> liveWorkers)
    {
        long pending = counts[(int)ItemStatus.Pending];
        long running = counts[(int)ItemStatus.Running];
        long failed = counts[(int)ItemStatus.Failed];
        long total = counts.Sum();
        bool working = liveWorkers.Count > 0;
        var state = (job.StopRequested, working, pending + running) switch
        {
            (true, true, _) => JobState.Stopping,
            (true, false, > 0) => JobState.Stopped,
            (false, true, _) => JobState.Running,
            (false, false, > 0) when firstStartedMs is null => JobState.Queued,
            (false, false, > 0) => JobState.Interrupted,
            _ => failed > 0 ? JobState.CompletedWithErrors : JobState.Completed,
        };
        // While running: the rate over the last minute (or since the start, if younger). Afterwards: the same over the
        // last stretch of work, the items finished within a minute of the last one, over that minute or, if the
        // stretch was shorter, since the first of them started; over the whole job, a job run night after night
        // counted the days between runs (0.03 images/s). (A start is when a worker took the item up; it may then
        // wait for room in flight, so from the first start alone slow images would look slower still.)
        double rate = 0;
        if (working && firstStartedMs is { } first)
        {
            double seconds = Math.Min(rateWindowMs, Math.Max(1, nowMs - first)) / 1000.0;
            rate = finishedRecently / seconds;
        }
        else if (lastStretch.StartedMs is { } start && lastFinishedMs is { } end && end > start)
        {
            rate = lastStretch.Count / (Math.Min(rateWindowMs, end - start) / 1000.0);
        }
        // Only a running job will finish its items: a stopping one leaves them for a later Resume, so a time
        // remaining would promise an end that does not come.
        TimeSpan? remaining = state == JobState.Running && rate > 0 ? TimeSpan.FromSeconds((pending + running) / rate) : null;
        return new JobSummary(job, state, total, pending, running, counts[(int)ItemStatus.Succeeded], failed, counts[(int)ItemStatus.Skipped],
            rate, remaining,
            firstStartedMs is { } f ? DateTimeOffset.FromUnixTimeMilliseconds(f) : null,
            lastFinishedMs is { } l ? DateTimeOffset.FromUnixTimeMilliseconds(l) : null,
            liveWorkers);
    }
}
