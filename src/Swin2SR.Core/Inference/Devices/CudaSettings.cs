namespace Swin2SR.Core.Inference.Devices;

/// <summary>
/// What a CUDA session may vary. The rest is fixed for this workload (fixed tile shapes, fp32): exhaustive cuDNN
/// algorithm search (tuned once per shape), TF32 on, the arena grown by what is asked for, copies in the default
/// stream (see <see cref="CudaProvider.ProviderOptions"/>).
/// </summary>
public sealed record CudaSettings
{
    public static CudaSettings Default { get; } = new();

    /// <summary>The most device memory the session's arena may hold (gpu_mem_limit); null: no limit.</summary>
    public long? MemoryLimitBytes { get; init; }
}
