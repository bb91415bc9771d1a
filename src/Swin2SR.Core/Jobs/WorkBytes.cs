namespace Swin2SR.Core.Jobs;

/// <summary>
/// A run's work counted in input bytes, for its time remaining: an image's work grows with its pixels, and its file's
/// size with them. Counted in images, a run of 16 thumbnails (96x96 PNG) then 2 scans (512x512), the thumbnails done,
/// said 1 s left with 8.5 s to go; in bytes, 11 s with 7 s to go, then 4-9 s over the scans' last 5 s. One of 1,000
/// thumbnails then 10 photos of 24 MP would have promised its end as the photos began.
/// </summary>
/// <param name="Total">The bytes of the inputs the run counts on doing (those an earlier run left pending included).</param>
/// <param name="Worked">The bytes of the inputs upscaled or failed, and of those in flight by the share of their tiles done.</param>
/// <param name="Skipped">The bytes of the inputs skipped (their output existed): work the run no longer has, done in no time.</param>
public readonly record struct WorkBytes(long Total, double Worked, long Skipped)
{
    /// <summary>The bytes left over the bytes worked a second so far; null before any work is done, or when no size is known.</summary>
    public TimeSpan? Remaining(TimeSpan elapsed)
    {
        if (Worked <= 0 || elapsed <= TimeSpan.Zero)
            return null;
        double left = Math.Max(0, Total - Skipped - Worked);
        return TimeSpan.FromSeconds(left / (Worked / elapsed.TotalSeconds));
    }
}
