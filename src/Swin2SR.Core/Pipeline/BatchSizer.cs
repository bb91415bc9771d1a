using Swin2SR.Core.Inference;

namespace Swin2SR.Core.Pipeline;

/// <summary>
/// Finds the batch size of one tile shape on one device while the run goes on, from the real batches: it starts
/// at one tile and doubles while a doubling makes tiles at least <see cref="MinGain"/> faster and the device's
/// free memory, less a safety margin, holds what the larger batch needs. The first batch of each size is a
/// warm-up (kernel search, arena growth) whose time is not used but whose memory growth is: it measures the
/// model's real per-tile cost. Nothing is run only to measure, so small jobs pay nothing for it.
/// </summary>
internal sealed class BatchSizer
{
    /// <summary>The least speed-up per doubling worth the memory and latency of larger batches.</summary>
    public const double MinGain = 0.03;

    /// <summary>Timed batches per size; the fastest counts (a shared machine only ever adds time).</summary>
    public const int SamplesPerSize = 3;

    private readonly int _max;
    private readonly Func<DeviceMemory?> _memory;
    private readonly List<double> _samples = [];
    private double? _previousSecondsPerTile;
    private long _bytesPerTile;
    private bool _warmedUp;

    /// <param name="max">The largest batch to try.</param>
    /// <param name="memory">The device's memory now; null where it cannot be read (the CPU): throughput alone decides.</param>
    public BatchSizer(int max, Func<DeviceMemory?> memory)
    {
        _max = Math.Max(1, max);
        _memory = memory;
    }

    public int Limit { get; private set; } = 1;

    /// <summary>True once the size is chosen; it then changes only on out-of-memory.</summary>
    public bool Settled { get; private set; }

    /// <summary>What the sizer concluded, for the log; null until it settles.</summary>
    public string? Reason { get; private set; }

    /// <summary>Free device memory now, read before a batch of a size not run yet (to measure its growth).</summary>
    public long? FreeBytesBeforeWarmUp() => !Settled && !_warmedUp ? _memory()?.FreeBytes : null;

    /// <summary>Reports a batch: its size, how long it took, and the device's free memory before it when that was read.</summary>
    public void Observe(int batch, double seconds, long? freeBefore)
    {
        if (Settled || batch != Limit)
            return; // only full batches of the size under test say anything about it
        if (!_warmedUp)
        {
            _warmedUp = true;
            if (freeBefore is long before && _memory()?.FreeBytes is long after && before > after)
                _bytesPerTile = Math.Max(_bytesPerTile, (before - after) / Math.Max(1, batch - batch / 2));
            return;
        }
        _samples.Add(seconds / batch);
        if (_samples.Count < SamplesPerSize)
            return;
        double secondsPerTile = _samples.Min();
        if (_previousSecondsPerTile is double previous && previous / secondsPerTile - 1 < MinGain)
        {
            Settle(Limit / 2, $"batches of {Limit} were under {MinGain * 100:0}% faster per tile than {Limit / 2}");
            return;
        }
        if (2 * Limit > _max)
        {
            Settle(Limit, $"the largest batch tried ({_max})");
            return;
        }
        if (_memory() is { } memory && _bytesPerTile * Limit > memory.FreeBytes - memory.Margin)
        {
            Settle(Limit, $"{Limit} more tiles would not fit in the free memory ({memory.FreeBytes >> 20} MiB, {_bytesPerTile >> 20} MiB per tile, margin {memory.Margin >> 20} MiB)");
            return;
        }
        _previousSecondsPerTile = secondsPerTile;
        Limit *= 2;
        _samples.Clear();
        _warmedUp = false;
    }

    /// <summary>A batch of <paramref name="batch"/> ran out of memory: half of it is the most from now on.</summary>
    public void OutOfMemory(int batch) => Settle(Math.Max(1, batch / 2), $"out of memory with {batch} tiles");

    /// <summary>-BatchSize: no search.</summary>
    public static BatchSizer Fixed(int batch) => new(batch, () => null) { Limit = Math.Max(1, batch), Settled = true, Reason = "fixed" };

    private void Settle(int limit, string reason)
    {
        Limit = Math.Max(1, limit);
        Settled = true;
        Reason = reason;
    }
}
