using Swin2SR.Core.Inference.Devices;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Inference.Devices;

public sealed class GpuDiscoveryTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Without_nvml_and_nvidia_smi_there_are_no_gpus_and_the_notes_say_why()
    {
        string missingLibrary = _folder.File("libnvidia-ml-missing.so.1");
        string missingTool = _folder.File("nvidia-smi-missing");

        var result = GpuDiscovery.Find([missingLibrary], [missingTool], cudaVisibleDevices: null);

        Assert.Empty(result.Gpus);
        Assert.Contains(result.Notes, n => n.Contains(missingLibrary));
        Assert.Contains(result.Notes, n => n.Contains(missingTool));
    }

    [Fact]
    public void This_machine_is_read_without_throwing()
    {
        var result = GpuDiscovery.Find();

        // Where there is no driver (CI, this project's machines) the notes say what was missing instead.
        Assert.True(result.Gpus.Count > 0 || result.Notes.Count > 0);
        Assert.All(result.Gpus, g => Assert.False(string.IsNullOrWhiteSpace(g.Name)));
    }

    [Fact]
    public void Nvidia_smi_is_the_fallback_when_nvml_cannot_be_loaded()
    {
        if (OperatingSystem.IsWindows())
            return; // the stand-in tool is a shell script (real nvidia-smi output lines, from a real process)
        string tool = WriteTool("nvidia-smi", """
            [ "$1" = "--query-gpu=index,name,memory.total,memory.free,utilization.gpu" ] || exit 9
            echo "0, NVIDIA H200, 143771, 142990, 0"
            echo "1, NVIDIA H200, 143771, 100000, 93"
            """);

        var result = GpuDiscovery.Find([_folder.File("no-nvml.so")], [tool], cudaVisibleDevices: "1");

        var gpu = Assert.Single(result.Gpus);
        Assert.Equal(GpuInfoSource.NvidiaSmi, gpu.Source);
        Assert.Equal((1, 0, 93), (gpu.Index, gpu.CudaDevice, gpu.UtilizationPercent));
        Assert.Equal(100000L * 1024 * 1024, gpu.FreeBytes);
    }

    [Fact]
    public void A_failing_nvidia_smi_is_a_note_with_its_message()
    {
        if (OperatingSystem.IsWindows())
            return;
        string tool = WriteTool("nvidia-smi", """
            echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."
            exit 9
            """);

        var result = GpuDiscovery.Find([_folder.File("no-nvml.so")], [tool], cudaVisibleDevices: null);

        Assert.Empty(result.Gpus);
        Assert.Contains(result.Notes, n => n.Contains("exit code 9") && n.Contains("couldn't communicate"));
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private string WriteTool(string name, string body)
    {
        string path = _folder.File(name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
