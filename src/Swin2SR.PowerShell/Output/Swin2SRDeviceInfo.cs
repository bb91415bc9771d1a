using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace Swin2SR.PowerShell;

/// <summary>The kind of a device that can run a model.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum Swin2SRDeviceKind
{
    Cuda,
    Cpu,
}

/// <summary>What Get-Swin2SRDevice writes for each device (format view: Swin2SR.PowerShell.Format.ps1xml).</summary>
public sealed class Swin2SRDeviceInfo
{
    public Swin2SRDeviceKind Kind { get; init; }

    /// <summary>For a GPU, the CUDA device id that -DeviceId takes; 0 for the CPU.</summary>
    public int Index { get; init; }

    public string Name { get; init; } = "";

    /// <summary>Bytes: the GPU's memory, or the memory this process may use on the CPU. Null where the driver does not say.</summary>
    public long? TotalMemory { get; init; }

    /// <summary>Bytes not in use now. Null where the driver or the system does not say.</summary>
    public long? FreeMemory { get; init; }

    /// <summary>GPU busy percent over the driver's last sample period; null for the CPU and where not supported.</summary>
    public int? Utilization { get; init; }

    /// <summary>Logical cores this process may use (the CPU only).</summary>
    public int? Cores { get; init; }

    /// <summary>The execution providers this ONNX Runtime offers.</summary>
    public Swin2SRTextList Providers { get; init; } = Swin2SRTextList.Empty;

    public bool Usable { get; init; }

    /// <summary>Why the device cannot be used (for example which CUDA or cuDNN library is missing); null when it can.</summary>
    public string? Reason { get; init; }

    public override string ToString() => Kind == Swin2SRDeviceKind.Cpu ? "cpu" : $"cuda:{Index}";
}
