using System.Text.RegularExpressions;

namespace Swin2SR.Core.Inference;

/// <summary>
/// A GPU hit an error that CUDA keeps returning for the rest of the process: an illegal memory access, a kernel
/// that faulted or timed out, an uncorrectable ECC error. CUDA's documentation says of these that "any further
/// CUDA work will return the same error" until the process restarts, so the device is done for this run: its
/// tiles go to the other devices (<see cref="Pipeline.DeviceWorker"/> treats it as a failed device), rather than
/// every image that reaches it failing in turn, each within milliseconds, as it takes work faster than a GPU that
/// still computes.
/// </summary>
public sealed class DeviceLostException(string device, Exception inner)
    : Exception($"{device} can no longer compute: {inner.Message}", inner)
{
    // ONNX Runtime reports CUDA errors as "CUDA failure <cudaError_t>: <cudaGetErrorString> ; GPU=..." (CudaCall):
    // 214 uncorrectable ECC, 700 illegal address, 702 launch timeout, 714-719 hardware stack error, illegal
    // instruction, misaligned address, invalid address space, invalid PC, launch failure.
    private static readonly Regex s_stickyCudaError = new(@"\bCUDA failure (214|700|702|71[4-9]):", RegexOptions.CultureInvariant);

    /// <summary>Whether <paramref name="e"/> reports a CUDA error that leaves the device unusable in this process.</summary>
    public static bool IsDeviceLost(Exception e) => s_stickyCudaError.IsMatch(e.Message);
}
