namespace Swin2SR.Core.Inference.Devices;

/// <summary>Which tool described a GPU.</summary>
public enum GpuInfoSource
{
    Nvml,
    NvidiaSmi,
}

/// <summary>
/// One NVIDIA GPU as the driver reports it. <see cref="Index"/> is the driver's (NVML's, nvidia-smi's) index;
/// <see cref="CudaDevice"/> the number CUDA gives it in this process, which differs when CUDA_VISIBLE_DEVICES is set.
/// </summary>
/// <param name="TotalBytes">Null where the driver does not say (nvidia-smi prints [N/A]).</param>
/// <param name="FreeBytes">Null where the driver does not say.</param>
/// <param name="UtilizationPercent">Share of the last sample period a kernel ran; null where not supported.</param>
public sealed record GpuInfo(int Index, string Name, long? TotalBytes, long? FreeBytes, int? UtilizationPercent, GpuInfoSource Source)
{
    /// <summary>The device id ONNX Runtime's CUDA provider takes for this GPU.</summary>
    public int CudaDevice { get; init; } = Index;
}
