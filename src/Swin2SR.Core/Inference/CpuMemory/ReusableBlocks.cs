namespace Swin2SR.Core.Inference.CpuMemory;

/// <summary>A block of memory mapped from the operating system: <see cref="Address"/> is what the caller uses.</summary>
/// <param name="Address">The usable start (aligned inside the mapping).</param>
/// <param name="Size">Usable bytes from <see cref="Address"/>.</param>
/// <param name="MappedBase">The mapping's start, for unmapping.</param>
/// <param name="MappedLength">The mapping's length, for unmapping.</param>
internal readonly record struct MappedBlock(nint Address, long Size, nint MappedBase, long MappedLength);

/// <summary>
/// The large blocks handed to ONNX Runtime, and those it gave back, kept for its next request: memory fresh from the
/// operating system is paid for at first touch, page by page, and every run of a shape asks for the same blocks again.
/// A free block that no request has taken over the last <see cref="KeptRuns"/> runs goes back to the operating
/// system. Keeping only as much as was in use at the peak was not enough: a run without a memory plan (every shape
/// but the first a session runs) needs blocks of a dozen sizes in turn, and its large ones, free at the end, pushed
/// its small ones out, which were mapped again at every run. Not thread-safe: the caller serializes.
/// </summary>
internal sealed class ReusableBlocks(Action<MappedBlock> unmap)
{
    private readonly Dictionary<nint, MappedBlock> _inUse = [];
    private readonly List<(MappedBlock Block, long ReturnedAtRun)> _free = [];
    private long _runsEnded;

    /// <summary>Bytes a block may have beyond twice the request and still be lent for it (a huge page).</summary>
    public const long MaxSlack = 2L << 20;

    /// <summary>
    /// How many runs a free block waits for a request before it goes back: runs of other shapes, and the runs of
    /// the other lanes of a CPU (up to <see cref="TileModel.MaxCpuLanes"/> at once), come between two of a shape.
    /// </summary>
    public const int KeptRuns = 2 * TileModel.MaxCpuLanes;

    public long InUseBytes { get; private set; }
    public long FreeBytes { get; private set; }
    /// <summary>Requests served from a returned block rather than a new mapping.</summary>
    public long Reused { get; private set; }

    /// <summary>
    /// Takes the smallest free block of at least <paramref name="size"/> bytes, if it is not much larger: a run's
    /// 150 MB block lent to a 100 KB request would make the next run map its 150 MB again.
    /// </summary>
    public bool TryTake(long size, out nint address)
    {
        long largest = Math.Max(2 * size, size + MaxSlack);
        int best = -1;
        for (int i = 0; i < _free.Count; i++)
        {
            long candidate = _free[i].Block.Size;
            if (candidate >= size && candidate <= largest && (best < 0 || candidate < _free[best].Block.Size))
                best = i;
        }
        if (best < 0)
        {
            address = 0;
            return false;
        }
        var block = _free[best].Block;
        _free.RemoveAt(best);
        FreeBytes -= block.Size;
        Reused++;
        MarkInUse(block);
        address = block.Address;
        return true;
    }

    /// <summary>Records a block just mapped for a request.</summary>
    public void Add(MappedBlock block) => MarkInUse(block);

    /// <summary>Takes back a block handed out; false when <paramref name="address"/> is not one of them.</summary>
    public bool TryReturn(nint address)
    {
        if (!_inUse.Remove(address, out var block))
            return false;
        InUseBytes -= block.Size;
        _free.Add((block, _runsEnded));
        FreeBytes += block.Size;
        return true;
    }

    /// <summary>A run ended: the free blocks no request took over the last <see cref="KeptRuns"/> runs go back.</summary>
    public void RunEnded()
    {
        _runsEnded++;
        foreach (var idle in _free.Where(f => _runsEnded - f.ReturnedAtRun > KeptRuns).ToArray())
            Unmap(idle);
    }

    /// <summary>Gives every free block back to the operating system.</summary>
    public void ReleaseFree()
    {
        foreach (var free in _free.ToArray())
            Unmap(free);
    }

    private void MarkInUse(MappedBlock block)
    {
        _inUse.Add(block.Address, block);
        InUseBytes += block.Size;
    }

    private void Unmap((MappedBlock Block, long ReturnedAtRun) free)
    {
        _free.Remove(free);
        FreeBytes -= free.Block.Size;
        unmap(free.Block);
    }
}
