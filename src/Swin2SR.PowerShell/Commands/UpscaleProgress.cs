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

    public UpscaleProgress(int total, string model, string jobName)
    {
        _total = total;
        _activity = $"Job '{jobName}': upscaling {total} image(s) with {model}";
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
        var record = new ProgressRecord(ActivityId, _activity,
            $"{Done} of {_total} done ({_succeeded} succeeded, {_skipped} skipped, {_failed} failed), {rate:0.00} images/s")
        {
            PercentComplete = _total == 0 ? 100 : (int)(100L * Done / _total),
        };
        if (rate > 0)
            record.SecondsRemaining = (int)Math.Ceiling((_total - Done) / rate);
        return record;
    }

    public ProgressRecord Completed() => new(ActivityId, _activity, "Done") { RecordType = ProgressRecordType.Completed };
}
