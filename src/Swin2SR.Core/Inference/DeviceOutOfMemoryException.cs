using Swin2SR.Core.Tiling;

namespace Swin2SR.Core.Inference;

/// <summary>
/// A batch did not fit in the device's memory. The scheduler answers with a smaller batch, then a smaller tile;
/// nothing is lost. ONNX Runtime reports this only through its messages, which <see cref="IsOutOfMemory"/> reads.
/// </summary>
public sealed class DeviceOutOfMemoryException : Exception
{
    public DeviceOutOfMemoryException(string device, int batch, TileShape tile, Exception? inner = null)
        : base($"{device}: out of memory running a batch of {batch} tiles of {tile}", inner)
    {
        Batch = batch;
        Tile = tile;
    }

    public int Batch { get; }
    public TileShape Tile { get; }

    /// <summary>
    /// The messages of the BFC arena, cuBLAS, cuDNN and CUDA itself for an allocation failure, and of a CPU kernel
    /// whose own allocation failed (<c>std::bad_alloc</c>, seen under a limited address space). cuDNN 9, which the
    /// CUDA provider uses, names its device allocation failure CUDNN_STATUS_INTERNAL_ERROR_DEVICE_ALLOCATION_FAILED
    /// (4004); CUBLAS_STATUS_ALLOC_FAILED and cuDNN 8's CUDNN_STATUS_ALLOC_FAILED are the older spelling.
    /// </summary>
    public static bool IsOutOfMemory(Exception e) =>
        e.Message.Contains("Failed to allocate memory", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("bad_alloc", StringComparison.Ordinal)
        || e.Message.Contains("ALLOC_FAILED", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("DEVICE_ALLOCATION_FAILED", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase)
        || e is OutOfMemoryException;
}
