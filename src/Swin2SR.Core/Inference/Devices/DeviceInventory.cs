namespace Swin2SR.Core.Inference.Devices;

/// <summary>One device as Get-Swin2SRDevice shows it. GPU fields are null for the CPU and the reverse.</summary>
/// <param name="Index">The CUDA device id (what -DeviceId takes); 0 for the CPU.</param>
/// <param name="Reason">Why the device cannot be used; null when it can.</param>
public sealed record DeviceReport(
    DeviceKind Kind, int Index, string Name, long? TotalBytes, long? FreeBytes, int? UtilizationPercent, int? Cores,
    IReadOnlyList<string> Providers, bool Usable, string? Reason);

/// <summary>What this machine offers for inference: the GPUs CUDA sees, the CPU, and ONNX Runtime's providers.</summary>
public static class DeviceInventory
{
    /// <summary>The GPUs first (in CUDA's order), then the CPU; and the notes of GPU discovery (for -Verbose).</summary>
    public static (IReadOnlyList<DeviceReport> Devices, IReadOnlyList<string> Notes) Take() => Take(GpuDiscovery.Find());

    internal static (IReadOnlyList<DeviceReport> Devices, IReadOnlyList<string> Notes) Take(GpuDiscoveryResult found)
    {
        var providers = ExecutionProviders.Available();
        // Loading the CUDA provider takes a second or two: only where there is a GPU to use it on.
        string? cudaProblem = found.Gpus.Count > 0 ? CudaProvider.Check() : null;
        var devices = found.Gpus
            .Select(g => new DeviceReport(DeviceKind.Cuda, g.CudaDevice, g.Name, g.TotalBytes, g.FreeBytes, g.UtilizationPercent, null,
                providers, cudaProblem is null, cudaProblem))
            .ToList();
        var cpu = CpuInfo.Current();
        devices.Add(new DeviceReport(DeviceKind.Cpu, 0, cpu.Name, cpu.TotalBytes, cpu.FreeBytes, null, cpu.Cores, providers, true, null));
        return (devices, found.Notes);
    }
}
