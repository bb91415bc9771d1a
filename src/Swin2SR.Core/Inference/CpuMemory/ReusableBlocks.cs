namespace Swin2SR.Core.Inference.CpuMemory;

/// <summary>A block of memory mapped from the operating system: <see cref="Address"/> is what the caller uses.</summary>
/// <param name="Address">The usable start (aligned inside the mapping).</param>
/// <param name="Size">Usable bytes from <see cref="Address"/>.</param>
/// <param name="MappedBase">The mapping's start, for unmapping.</param>
/// <param name="MappedLength">The mapping's length, for unmapping.</param>
internal readonly record struct MappedBlock(nint Address, long Size, nint MappedBase, long MappedLength);

/// <summary>
/// The large blocks handed to ONNX Runtime, and those it gave back, kept for its next request: memory fresh from the
/// operating system is paid for at first touch, page by page, and every run asks for much the same blocks again
/// (one for its planned activations). Like an arena, it keeps at most what was in use at the peak: a returned block
/// beyond that goes back to the operating system, smallest first. Not thread-safe: the caller serializes.
/// </summary>
internal sealed class ReusableBlocks(Action<MappedBlock> unmap)
{
    private readonly Dictionary<nint, MappedBlock> _inUse = [];
    private readonly List<MappedBlock> _free = [];

    /// <summary>Bytes a block may have beyond twice the request and still be lent for it (a huge page).</summary>
    public const long MaxSlack = 2L << 20;

    public long InUseBytes { get; private set; }
    public long PeakInUseBytes { get; private set; }
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
            long candidate = _free[i].Size;
            if (candidate >= size && candidate <= largest && (best < 0 || candidate < _free[best].Size))
                best = i;
        }
        if (best < 0)
        {
            address = 0;
            return false;
        }
        var block = _free[best];
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
        _free.Add(block);
        FreeBytes += block.Size;
        while (FreeBytes > PeakInUseBytes)
            Unmap(_free.MinBy(b => b.Size));
        return true;
    }

    /// <summary>Gives every free block back to the operating system; the peak starts again from what is in use.</summary>
    public void ReleaseFree()
    {
        foreach (var block in _free.ToArray())
            Unmap(block);
        PeakInUseBytes = InUseBytes;
    }

    private void MarkInUse(MappedBlock block)
    {
        _inUse.Add(block.Address, block);
        InUseBytes += block.Size;
        PeakInUseBytes = Math.Max(PeakInUseBytes, InUseBytes);
    }

    private void Unmap(MappedBlock block)
    {
        _free.Remove(block);
        FreeBytes -= block.Size;
        unmap(block);
    }
}
