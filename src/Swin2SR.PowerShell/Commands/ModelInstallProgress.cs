using System.Management.Automation;
using Swin2SR.Core.Models;

namespace Swin2SR.PowerShell.Commands;

/// <summary>Turns download progress into Write-Progress records: bytes, rate and time remaining.</summary>
internal sealed class ModelInstallProgress
{
    private readonly int _activityId = ProgressActivityIds.Next();
    private readonly string _activity;

    public ModelInstallProgress(string model) => _activity = $"Installing model {model}";

    public ProgressRecord Record(DownloadProgress progress)
    {
        string? received = Swin2SRDisplay.Bytes(progress.BytesReceived);
        string of = progress.TotalBytes is long total ? $" of {Swin2SRDisplay.Bytes(total)}" : "";
        var record = new ProgressRecord(_activityId, _activity, $"{received}{of} at {Swin2SRDisplay.Bytes(progress.BytesPerSecond)}/s");
        if (progress.PercentComplete is int percent)
            record.PercentComplete = percent;
        if (progress.Remaining is TimeSpan remaining)
            record.SecondsRemaining = ProgressTime.Seconds(remaining.TotalSeconds);
        return record;
    }

    public ProgressRecord Completed() => new(_activityId, _activity, "Done") { RecordType = ProgressRecordType.Completed };
}
