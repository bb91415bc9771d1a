namespace Swin2SR.Core.Inference.Devices;

/// <summary>The GPUs CUDA will see in this process, and what was learned finding them (for -Verbose and warnings).</summary>
public sealed record GpuDiscoveryResult(IReadOnlyList<GpuInfo> Gpus, IReadOnlyList<string> Notes);

/// <summary>Finds the NVIDIA GPUs: NVML first, nvidia-smi where NVML cannot be loaded. Never throws.</summary>
public static class GpuDiscovery
{
    public static GpuDiscoveryResult Find() =>
        Find(Nvml.DefaultLibraryNames, NvidiaSmi.DefaultExecutables, NativeEnvironment.Get(CudaVisibleDevices.VariableName));

    /// <summary>With the libraries and executables to try, and CUDA_VISIBLE_DEVICES, given (tests name missing or scripted ones).</summary>
    public static GpuDiscoveryResult Find(IReadOnlyList<string> nvmlLibraries, IReadOnlyList<string> nvidiaSmiExecutables, string? cudaVisibleDevices)
    {
        var notes = new List<string>();
        var gpus = Nvml.TryRead(nvmlLibraries, notes) ?? NvidiaSmi.TryRead(nvidiaSmiExecutables, notes) ?? [];
        return new GpuDiscoveryResult(CudaVisibleDevices.Apply(gpus, cudaVisibleDevices, notes), notes);
    }
}
