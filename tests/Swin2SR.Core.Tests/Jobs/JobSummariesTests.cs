using Swin2SR.Core.Jobs;

namespace Swin2SR.Core.Tests.Jobs;

public class JobSummariesTests
{
    private const long Minute = 60_000, Day = 86_400_000;
    private static readonly JobRecord Job = new(1, "nightly", new JobOptions { ModelPath = "/m.onnx" }, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, false);

    private static long[] Counts(long succeeded) => [0, 0, succeeded, 0, 0];

    [Fact]
    public void A_finished_job_run_night_after_night_is_rated_by_its_last_stretch_of_work_not_the_days_between()
    {
        // 1,000 images the first night; the second night, 10 more in 20 s, the last of them two days after the first start.
        long lastFinished = 2 * Day;
        var summary = JobSummaries.Build(Job, Counts(1010), firstStartedMs: 0, lastFinished, recent: default,
            lastStretch: new(10, 0, lastFinished - 20_000), bytesLeft: 0, Minute, nowMs: lastFinished + Day, liveWorkers: []);
        Assert.Equal(JobState.Completed, summary.State);
        Assert.Equal(0.5, summary.ImagesPerSecond, 6);
        Assert.Null(summary.EstimatedRemaining);
    }

    [Fact]
    public void A_running_job_is_rated_over_the_last_minute()
    {
        var worker = new WorkerRecord("w", "host", 1, 0, "cpu", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 0);
        long[] counts = [100, 0, 300, 0, 0];
        var summary = JobSummaries.Build(Job, counts, firstStartedMs: 0, lastFinishedMs: Day, recent: new(30, 0, Day - Minute),
            lastStretch: new(30, 0, Day - Minute), bytesLeft: 0, Minute, nowMs: Day, liveWorkers: [worker]);
        Assert.Equal(JobState.Running, summary.State);
        Assert.Equal(0.5, summary.ImagesPerSecond, 6);
        Assert.Equal(TimeSpan.FromSeconds(200), summary.EstimatedRemaining);
    }

    [Fact]
    public void A_job_run_again_is_rated_from_when_this_run_began_its_work_not_over_a_minute_it_partly_sat_idle()
    {
        // The job ran last night; a Resume (or the next run of a hot folder) began 10 s ago and has done 50 images since.
        var worker = new WorkerRecord("w", "host", 1, 0, "cpu", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 0);
        long now = Day;
        var summary = JobSummaries.Build(Job, [100, 0, 1050, 0, 0], firstStartedMs: 0, lastFinishedMs: now, recent: new(50, 0, now - 10_000),
            lastStretch: new(50, 0, now - 10_000), bytesLeft: 0, Minute, nowMs: now, liveWorkers: [worker]);
        Assert.Equal(5, summary.ImagesPerSecond, 6);
        Assert.Equal(TimeSpan.FromSeconds(20), summary.EstimatedRemaining);
    }

    [Fact]
    public void A_stopping_job_has_a_rate_but_no_time_remaining()
    {
        var worker = new WorkerRecord("w", "host", 1, 0, "cpu", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 0);
        var stopping = Job with { StopRequested = true };
        var summary = JobSummaries.Build(stopping, [100, 2, 300, 0, 0], firstStartedMs: 0, lastFinishedMs: Day, recent: new(30, 0, Day - Minute),
            lastStretch: new(30, 0, Day - Minute), bytesLeft: 0, Minute, nowMs: Day, liveWorkers: [worker]);
        Assert.Equal(JobState.Stopping, summary.State);
        Assert.Equal(0.5, summary.ImagesPerSecond, 6);
        Assert.Null(summary.EstimatedRemaining);
    }

    [Fact]
    public void A_running_job_is_given_its_time_remaining_by_the_bytes_left_not_the_images_left()
    {
        // 100 thumbnails of 10 kB done in the last 10 s; the 2 images left are scans of 5 MB each. At the
        // thumbnails' 10 images/s, 0.2 s would be left; at their 100 kB/s, 100 s.
        var worker = new WorkerRecord("w", "host", 1, 0, "cpu", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 0);
        long now = Day;
        var summary = JobSummaries.Build(Job, [2, 0, 100, 0, 0], firstStartedMs: now - 10_000, lastFinishedMs: now, recent: new(100, 1_000_000, now - 10_000),
            lastStretch: new(100, 1_000_000, now - 10_000), bytesLeft: 10_000_000, Minute, nowMs: now, liveWorkers: [worker]);
        Assert.Equal(10, summary.ImagesPerSecond, 6);
        Assert.Equal(TimeSpan.FromSeconds(100), summary.EstimatedRemaining);
    }
}
