using System.Management.Automation;

namespace Swin2SR.PowerShell.Commands;

/// <summary>Counts outcomes and turns them into Write-Progress records with a rate and the time remaining.</summary>
internal sealed class UpscaleProgress
{
    private const int ActivityId = 1;
    private readonly int _total;
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

    public void Add(Swin2SRItemStatus status)
    {
        switch (status)
        {
            case Swin2SRItemStatus.Succeeded: _succeeded++; break;
            case Swin2SRItemStatus.Skipped: _skipped++; break;
            default: _failed++; break;
        }
    }

    public ProgressRecord Record(TimeSpan elapsed)
    {
        // The rate counts processed images only: skips are instant and would make the estimate lie.
        double rate = elapsed.TotalSeconds > 0 ? (_succeeded + _failed) / elapsed.TotalSeconds : 0;
        var record = new ProgressRecord(ActivityId, _activity, $"{Done} of {_total} done{Exceptions()}, {rate:0.00} images/s")
        {
            PercentComplete = _total == 0 ? 100 : (int)(100L * Done / _total),
        };
        if (rate > 0)
            record.SecondsRemaining = (int)Math.Ceiling((_total - Done) / rate);
        return record;
    }

    /// <summary>The skipped and failed images among those done, when there are any: " (2 skipped, 1 failed)".</summary>
    private string Exceptions()
    {
        var parts = new List<string>(2);
        if (_skipped > 0) parts.Add($"{_skipped} skipped");
        if (_failed > 0) parts.Add($"{_failed} failed");
        return parts.Count == 0 ? "" : $" ({string.Join(", ", parts)})";
    }

    public ProgressRecord Completed() => new(ActivityId, _activity, "Done") { RecordType = ProgressRecordType.Completed };
}
