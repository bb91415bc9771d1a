using System.Diagnostics;

namespace Swin2SR.Core.Models;

/// <summary>
/// Measures a download's rate and time left. Bytes that were already on disk when the session started (a resumed
/// download) are not counted towards the rate, or a resume would look impossibly fast.
/// </summary>
internal sealed class TransferMeter
{
    private readonly Func<TimeSpan> _clock;
    private TimeSpan _startedAt;
    private long _startedFrom;

    public TransferMeter(Func<TimeSpan>? clock = null)
    {
        if (clock is null)
        {
            var stopwatch = Stopwatch.StartNew();
            clock = () => stopwatch.Elapsed;
        }
        _clock = clock;
    }

    /// <summary>Starts (or restarts, when the server ignored a resume) counting from <paramref name="position"/>.</summary>
    public void StartAt(long position)
    {
        _startedAt = _clock();
        _startedFrom = position;
    }

    public DownloadProgress Measure(long position, long? total)
    {
        double seconds = (_clock() - _startedAt).TotalSeconds;
        double rate = seconds > 0 ? Math.Max(0, position - _startedFrom) / seconds : 0;
        TimeSpan? remaining = total is long t && rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, t - position) / rate) : null;
        return new DownloadProgress(position, total, rate, remaining);
    }
}
