namespace Swin2SR.Core.Inference.Devices;

/// <summary>Where inference runs: the user's choice (-Device) or the kind of one device found.</summary>
public enum DeviceKind
{
    /// <summary>Every NVIDIA GPU whose CUDA provider loads, else the CPU (with a warning that says why).</summary>
    Auto,
    Cpu,
    Cuda,
}
