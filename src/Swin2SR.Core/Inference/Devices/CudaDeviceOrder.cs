namespace Swin2SR.Core.Inference.Devices;

/// <summary>
/// CUDA numbers GPUs fastest first by default; NVML and nvidia-smi, which Get-Swin2SRDevice and the batch sizer read,
/// number them by PCI bus. On a machine with GPUs of different kinds the two disagree, and -DeviceId 0, the free
/// memory a batch is sized from and the indices of CUDA_VISIBLE_DEVICES would name different cards. CUDA reads
/// CUDA_DEVICE_ORDER once, when it starts: set before the first CUDA session, PCI_BUS_ID makes its numbers the
/// driver's. A value the user gave the process is kept.
/// </summary>
internal static class CudaDeviceOrder
{
    public const string VariableName = "CUDA_DEVICE_ORDER";
    public const string DriverOrder = "PCI_BUS_ID";

    public static void MatchDriver() => NativeEnvironment.SetIfUnset(VariableName, DriverOrder);
}
