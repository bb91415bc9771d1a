namespace Swin2SR.Core.Models;

/// <summary>
/// One progress report of a download. <see cref="TotalBytes"/> and <see cref="Remaining"/> are null while the
/// size is unknown; the rate counts only bytes received in this session, not those resumed from disk.
/// </summary>
public readonly record struct DownloadProgress(long BytesReceived, long? TotalBytes, double BytesPerSecond, TimeSpan? Remaining)
{
    public int? PercentComplete => TotalBytes is > 0 and long total ? (int)Math.Min(100, 100 * BytesReceived / total) : null;
}
