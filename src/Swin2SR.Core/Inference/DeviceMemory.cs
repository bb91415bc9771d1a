namespace Swin2SR.Core.Inference;

/// <summary>A device's memory as the driver reports it now, and the margin a batch must leave free.</summary>
public sealed record DeviceMemory(long FreeBytes, long TotalBytes)
{
    /// <summary>A tenth of the device, at least 512 MiB: other processes, the CUDA context, fragmentation.</summary>
    public long Margin => Math.Max(TotalBytes / 10, 512L << 20);
}
