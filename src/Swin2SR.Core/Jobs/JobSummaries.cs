namespace Swin2SR.Core.Jobs;

/// <summary>Derives a job's state, rate and time remaining from its counts: the same rules for every store.</summary>
internal static class JobSummaries
{
    /// <param name="recent">Items finished within <paramref name="rateWindowMs"/> before now, the bytes of their inputs, and the earliest start among them.</param>
    /// <param name="lastStretch">Items finished within <paramref name="rateWindowMs"/> before the last one, the bytes of their inputs, and the earliest start among them.</param>
    /// <param name="bytesLeft">The bytes of the inputs of the items pending or held by a worker.</param>
    public static JobSummary Build(JobRecord job, long[] counts, long? firstStartedMs, long? lastFinishedMs, Stretch recent,
        Stretch lastStretch, long bytesLeft, long rateWindowMs, long nowMs, IReadOnlyList<WorkerRecord> liveWorkers)
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
        // While running: the items finished within the last minute, over that minute or, if the first of them started
        // later, since it started. Over the minute alone, a run of a job that ran before (each run of a hot folder, a
        // nightly run, a Resume) was rated for its first minute as if it had worked all of it: 10 s in, a sixth of its
        // rate, and a time remaining six times too long. Afterwards: the same over the last stretch of work, the
        // items finished within a minute of the last one; over the whole job, a job run night after night counted
        // the days between runs (0.03 images/s). (A start is when a worker took the item up; it may then wait for
        // room in flight, so from the first start alone slow images would look slower still.)
        var (rated, seconds) = working && recent.StartedMs is { } recentStart
            ? (recent, Math.Min(rateWindowMs, Math.Max(1, nowMs - recentStart)) / 1000.0)
            : lastStretch.StartedMs is { } start && lastFinishedMs is { } end && end > start
                ? (lastStretch, Math.Min(rateWindowMs, end - start) / 1000.0)
                : (default, 0);
        double rate = seconds > 0 ? rated.Count / seconds : 0;
        // Only a running job will finish its items: a stopping one leaves them for a later Resume, so a time
        // remaining would promise an end that does not come.
        TimeSpan? remaining = state == JobState.Running && rate > 0 ? Remaining(pending + running, bytesLeft, rated, seconds) : null;
        return new JobSummary(job, state, total, pending, running, counts[(int)ItemStatus.Succeeded], failed, counts[(int)ItemStatus.Skipped],
            rate, remaining,
            firstStartedMs is { } f ? DateTimeOffset.FromUnixTimeMilliseconds(f) : null,
            lastFinishedMs is { } l ? DateTimeOffset.FromUnixTimeMilliseconds(l) : null,
            liveWorkers)
        {
            BytesLeft = bytesLeft,
        };
    }

    /// <summary>
    /// The time left at the rate of the stretch rated, in input bytes: an image's work grows with its pixels, and its
    /// file's size with them. Counted in images, a folder of 16 thumbnails (96x96 PNG) then 2 scans (512x512) was
    /// given 0.9 s left, the thumbnails done, with 8.5 s of scans to go; in bytes, 11 s for 7 s. Either grows while the
    /// scans run and nothing finishes (the rate is of items finished), but in bytes from where the scans' work is.
    /// Items without a size recorded are rated in images.
    /// </summary>
    private static TimeSpan Remaining(long itemsLeft, long bytesLeft, Stretch rated, double seconds) =>
        TimeSpan.FromSeconds(rated.Bytes > 0 && bytesLeft > 0 ? bytesLeft / (rated.Bytes / seconds) : itemsLeft / (rated.Count / seconds));
}

/// <summary>Items finished within a stretch of time, the bytes of their inputs, and the earliest start among them.</summary>
internal readonly record struct Stretch(long Count, long Bytes, long? StartedMs);
