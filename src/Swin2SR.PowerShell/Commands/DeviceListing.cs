using Swin2SR.Core.Inference.Devices;

namespace Swin2SR.PowerShell.Commands;

/// <summary>The bridge between Get-Swin2SRDevice and the engine's device inventory: engine types stay inside.</summary>
internal static class DeviceListing
{
    /// <summary>The GPUs CUDA sees, then the CPU; and what GPU discovery learned (for -Verbose).</summary>
    public static (IReadOnlyList<Swin2SRDeviceInfo> Devices, IReadOnlyList<string> Notes) Take()
    {
        var (devices, notes) = DeviceInventory.Take();
        return (devices.Select(Convert).ToList(), notes);
    }

    private static Swin2SRDeviceInfo Convert(DeviceReport device) => new()
    {
        Kind = device.Kind == DeviceKind.Cuda ? Swin2SRDeviceKind.Cuda : Swin2SRDeviceKind.Cpu,
        Index = device.Index,
        Name = device.Name,
        TotalMemory = device.TotalBytes,
        FreeMemory = device.FreeBytes,
        Utilization = device.UtilizationPercent,
        Cores = device.Cores,
        Providers = new(device.Providers),
        Usable = device.Usable,
        Reason = device.Reason,
    };
}
