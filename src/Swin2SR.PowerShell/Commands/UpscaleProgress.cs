using System.Management.Automation;

namespace Swin2SR.PowerShell.Commands;

/// <summary>Counts outcomes and turns them into Write-Progress records with a rate and the time remaining.</summary>
internal sealed class UpscaleProgress
{
    private readonly int _activityId = ProgressActivityIds.Next();
    private int _total;
    private readonly string _activity;
    private int _succeeded;
    private int _skipped;
    private int _failed;

    public UpscaleProgress(int total, string jobName)
    {
        _total = total;
        // Short, so that the console's one-line progress view (at most 120 columns, half for the activity) shows the
        // whole of it and of the status with a generated job name: the model and the image count were cut off there.
        _activity = $"Swin2SR job '{jobName}'";
    }

    private int Done => _succeeded + _skipped + _failed;

    /// <summary>
    /// Counts in images the job gained while the run worked (other runs handed it their inputs): the total becomes
    /// <paramref name="total"/> when that is more, and is never made less (in a job shared with other workers, a
    /// count of what this run will do can only be a lower bound). True when it grew.
    /// </summary>
    public bool AtLeast(int total)
    {
        if (total <= _total)
            return false;
        _total = total;
        return true;
    }

    public void Add(Swin2SRItemStatus status)
    {
        switch (status)
        {
            case Swin2SRItemStatus.Succeeded: _succeeded++; break;
            case Swin2SRItemStatus.Skipped: _skipped++; break;
            default: _failed++; break;
        }
    }

    /// <param name="inFlight">
    /// The images being worked on, each as the share of its tiles done: without it a run of one large image sat at
    /// 0% with no time remaining for minutes.
    /// </param>
    /// <param name="remaining">
    /// The time remaining by the run's work in input bytes (<see cref="UpscaleRun.Remaining"/>), when known: in images, a run of
    /// thumbnails then large scans promised its end as the scans began. Null: the images left at the images done a second.
    /// </param>
    /// <param name="inputs">
    /// The input files being upscaled, the one begun first first: the record's CurrentOperation names it, which the
    /// Classic progress view, Receive-Job and a host of one's own show; a run of large scans said only how many were done.
    /// </param>
    public ProgressRecord Record(TimeSpan elapsed, double inFlight = 0, TimeSpan? remaining = null, IReadOnlyList<string>? inputs = null)
    {
        // The result of an image handed to the run may come before the run counts it in: never less than what is done.
        _total = Math.Max(_total, Done);
        // An image's result may be counted here a moment before it leaves the images in flight.
        double done = Math.Min(Done + inFlight, _total);
        // The rate counts processed images only: skips are instant and would make the estimate lie.
        double rate = elapsed.TotalSeconds > 0 ? (done - _skipped) / elapsed.TotalSeconds : 0;
        // Never backwards: an image that failed leaves the images in flight a moment before its result is counted.
        _percent = Math.Max(_percent, _total == 0 ? 100 : (int)(100 * done / _total));
        var record = new ProgressRecord(_activityId, _activity, $"{Done} of {_total} done{Exceptions()}, {rate:0.00} images/s")
        {
            PercentComplete = _percent,
            CurrentOperation = Current(inputs ?? []),
        };
        if (remaining is { } byBytes)
            record.SecondsRemaining = ProgressTime.Seconds(byBytes.TotalSeconds);
        else if (rate > 0)
            record.SecondsRemaining = ProgressTime.Seconds((_total - done) / rate);
        return record;
    }

    private int _percent;

    /// <summary>"Upscaling photo.jpg", "Upscaling photo.jpg and 2 more"; null between images.</summary>
    private static string? Current(IReadOnlyList<string> inputs) => inputs.Count switch
    {
        0 => null,
        1 => $"Upscaling {Path.GetFileName(inputs[0])}",
        _ => $"Upscaling {Path.GetFileName(inputs[0])} and {inputs.Count - 1} more",
    };

    /// <summary>The skipped and failed images among those done, when there are any: " (2 skipped, 1 failed)".</summary>
    private string Exceptions()
    {
        var parts = new List<string>(2);
        if (_skipped > 0) parts.Add($"{_skipped} skipped");
        if (_failed > 0) parts.Add($"{_failed} failed");
        return parts.Count == 0 ? "" : $" ({string.Join(", ", parts)})";
    }

    public ProgressRecord Completed() => new(_activityId, _activity, "Done") { RecordType = ProgressRecordType.Completed };
}
