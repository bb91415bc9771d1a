namespace Swin2SR.Core.Pipeline;

/// <summary>
/// Bytes that images in flight may hold at once. The count limit alone would let eight 50-megapixel images take
/// tens of gigabytes; this one makes memory depend on the budget, not on the images. An image larger than the
/// whole budget still runs, alone, so nothing waits forever.
/// </summary>
public sealed class MemoryBudget(long limitBytes)
{
    private readonly object _lock = new();
    private readonly Queue<(long Bytes, TaskCompletionSource Admitted)> _waiting = new();
    private long _used;

    public long LimitBytes { get; } = Math.Max(1, limitBytes);

    /// <summary>
    /// What an image of <paramref name="width"/> x <paramref name="height"/> costs while in flight: on the input side
    /// its decoded copy and float planes (about 20 bytes a pixel), on the output side the float canvas, the 8- or
    /// 16-bit copy the encoder takes and the encoder's own buffers (ImageSharp compresses a whole PNG in memory), with
    /// the large arrays that wait for the garbage collector: measured at about 120 bytes per output pixel for
    /// 6144x4096 PNG outputs (bench/Measure-Memory.ps1), counted as 100. Since a full collection follows each large
    /// image (<see cref="IsLarge"/>) one such image peaks nearer 15; the 100 is left as headroom, unmeasured below.
    /// </summary>
    public static long ImageBytes(int width, int height, int scale)
    {
        const long inputBytesPerPixel = 20, outputBytesPerPixel = 100;
        long pixels = (long)width * height;
        return pixels * (inputBytesPerPixel + outputBytesPerPixel * scale * scale);
    }

    /// <summary>An image that held an eighth of the budget or more: worth a full garbage collection once it has left.</summary>
    public bool IsLarge(long bytes) => bytes >= LimitBytes / 8;

    /// <summary>A quarter of the memory this process may use, at most 4 GiB: room for the model and the rest.</summary>
    public static long DefaultLimitBytes() => Math.Min(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4, 4L << 30);

    /// <summary>Waits until <paramref name="bytes"/> fit (or nothing else is in flight), then takes them; first come, first served.</summary>
    public Task WaitAsync(long bytes, CancellationToken cancellation)
    {
        lock (_lock)
        {
            if (_waiting.Count == 0 && Fits(bytes))
            {
                _used += bytes;
                return Task.CompletedTask;
            }
            var admitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue((bytes, admitted));
            return admitted.Task.WaitAsync(cancellation);
        }
    }

    public void Release(long bytes)
    {
        lock (_lock)
        {
            _used -= bytes;
            while (_waiting.TryPeek(out var next) && Fits(next.Bytes))
            {
                _waiting.Dequeue();
                _used += next.Bytes;
                next.Admitted.TrySetResult();
            }
        }
    }

    public long UsedBytes
    {
        get
        {
            lock (_lock)
                return _used;
        }
    }

    private bool Fits(long bytes) => _used == 0 || _used + bytes <= LimitBytes;
}
