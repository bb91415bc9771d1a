using System.Globalization;

namespace Swin2SR.Core.Inference.Devices;

/// <summary>
/// CUDA numbers only the GPUs that CUDA_VISIBLE_DEVICES lists, in its order: with "2,0", CUDA device 0 is the
/// driver's GPU 2. The driver (NVML, nvidia-smi) still lists every GPU by its own index. This maps one onto
/// the other, so that -DeviceId and Get-Swin2SRDevice speak CUDA's numbers.
/// </summary>
public static class CudaVisibleDevices
{
    public const string VariableName = "CUDA_VISIBLE_DEVICES";

    /// <summary>
    /// The GPUs CUDA sees, numbered as CUDA numbers them. Like CUDA, reads indices up to the first entry that is
    /// not a GPU index. Entries CUDA accepts that are not indices (GPU-... UUIDs, MIG-...) cannot be mapped without
    /// UUIDs: the GPUs are returned as they are, with a note.
    /// </summary>
    public static IReadOnlyList<GpuInfo> Apply(IReadOnlyList<GpuInfo> gpus, string? variable, List<string> notes)
    {
        if (variable is null)
            return gpus;
        var visible = new List<GpuInfo>();
        foreach (string entry in variable.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(entry, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int index))
            {
                if (entry.StartsWith("GPU-", StringComparison.OrdinalIgnoreCase) || entry.StartsWith("MIG-", StringComparison.OrdinalIgnoreCase))
                {
                    notes.Add($"{VariableName}={variable} names GPUs by UUID; device ids follow CUDA's numbering, which may differ from the indices shown");
                    return gpus;
                }
                break;
            }
            // An index that does not exist ends the list for CUDA too.
            if (gpus.FirstOrDefault(g => g.Index == index) is not { } gpu || visible.Contains(gpu))
                break;
            visible.Add(gpu with { CudaDevice = visible.Count });
        }
        if (visible.Count < gpus.Count)
            notes.Add($"{VariableName}={variable}: CUDA sees {visible.Count} of the {gpus.Count} GPUs");
        return visible;
    }
}
