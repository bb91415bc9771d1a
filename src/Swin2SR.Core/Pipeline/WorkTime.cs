using System.Diagnostics;

namespace Swin2SR.Core.Pipeline;

/// <summary>
/// The time spent working on one image, added up from every thread that worked on it: its decode, its tiles' share
/// of the batches they ran in, its stitching and quality check, its encode and write. The time it waited (for room
/// in memory, for a device busy with other images' tiles, for an encoder) is left out, so that images can be
/// compared by what they cost: in flight, an image queued behind others takes longer the later it comes.
/// Tiles of one image run on several workers at once, hence the interlocked adds.
/// </summary>
internal sealed class WorkTime
{
    private long _ticks;

    public TimeSpan Total => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks));

    /// <summary>Adds the stretch since <paramref name="startedAt"/> (a <see cref="Stopwatch"/> timestamp); returns now, where the next one starts.</summary>
    public long AddSince(long startedAt)
    {
        long now = Stopwatch.GetTimestamp();
        Interlocked.Add(ref _ticks, now - startedAt);
        return now;
    }

    /// <summary>
    /// Shares out the stretch since <paramref name="startedAt"/> that a batch took, evenly over its tiles (all of one
    /// size): each image pays for the tiles it had in it, whichever other images the rest belonged to.
    /// </summary>
    /// <param name="payers">Per tile of the batch, the time of the image it belongs to.</param>
    public static void Share(IReadOnlyList<WorkTime> payers, long startedAt)
    {
        long ticks = Stopwatch.GetTimestamp() - startedAt;
        foreach (var tiles in payers.GroupBy(p => p))
            Interlocked.Add(ref tiles.Key._ticks, ticks * tiles.Count() / payers.Count);
    }
}
