using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Devices;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Inference.Devices;

/// <summary>
/// On machines without CUDA (CI, this project's) CUDA must fail with a message that names what is missing, and
/// Auto must fall back to the CPU with a warning. On a machine where CUDA works the same tests check the sessions.
/// </summary>
public sealed class DeviceSelectionTests : IDisposable
{
    private static readonly string s_model = RepoPaths.TestModel("boxblur-x2");
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Cpu_is_one_session_on_the_cpu_without_warnings()
    {
        var opened = new DeviceSelection(DeviceKind.Cpu) { CpuCores = 1 }.Open(s_model);
        using var runner = Assert.Single(opened.Runners);

        Assert.Equal("cpu", runner.Device);
        Assert.Equal(2, runner.Contract.Scale);
        Assert.Empty(opened.Warnings);
    }

    [Fact]
    public void The_cpu_session_gets_every_core_with_a_lane_per_core_up_to_the_limit()
    {
        Assert.Equal(Environment.ProcessorCount, new DeviceSelection(DeviceKind.Cpu).CpuCores);
        using var runner = Assert.Single(new DeviceSelection(DeviceKind.Cpu).Open(s_model).Runners);
        Assert.Equal(DeviceKind.Cpu, runner.Kind);
        Assert.Equal(TileModel.CpuLanes(Environment.ProcessorCount, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes), runner.Lanes);
    }

    [Theory]
    [InlineData(1, 64, 1)]
    [InlineData(2, 64, 2)]
    [InlineData(8, 64, 8)]
    [InlineData(64, 512, 8)]  // at most 8 however many cores
    [InlineData(8, 16, 4)]    // a lane per 4 GiB
    [InlineData(16, 2, 1)]    // at least one
    public void Cpu_lanes_follow_the_cores_within_the_memory_and_the_limit(int cores, long memoryGiB, int lanes) =>
        Assert.Equal(lanes, TileModel.CpuLanes(cores, memoryGiB << 30));

    [Fact]
    public void Cuda_names_the_missing_library_or_runs_on_every_gpu()
    {
        string? problem = CudaProvider.Check();
        var selection = new DeviceSelection(DeviceKind.Cuda);

        if (problem is not null)
        {
            var error = Assert.Throws<DeviceUnavailableException>(() => selection.Open(s_model));
            Assert.True(NamesMissingLibrary(error.Message) || error.Message.Contains("no CUDA execution provider"), error.Message);
            Assert.Contains("Install", error.Message);
            return;
        }
        var opened = selection.Open(s_model);
        Assert.NotEmpty(opened.Runners);
        Assert.All(opened.Runners, r => Assert.StartsWith("cuda:", r.Device));
        // The batch sizer reads each GPU's memory again and again through one open NVML session.
        Assert.All(opened.Runners, r => Assert.All(new[] { r.Memory(), r.Memory() }, m => Assert.True(m is { FreeBytes: > 0 } && m.FreeBytes <= m.TotalBytes, $"{r.Device}: {m}")));
        Dispose(opened);
    }

    [Fact]
    public void Without_nvml_a_gpu_memory_reader_is_not_opened_and_the_cpu_reports_no_memory()
    {
        Assert.Null(Nvml.TryOpenMemoryReader([_folder.File("no-nvml.so")], 0));
        using var cpu = TileModel.LoadCpu(s_model, cores: 1);
        Assert.Null(cpu.Memory());
    }

    [Fact]
    public void Auto_without_a_gpu_runs_on_the_cpu_and_says_why()
    {
        var selection = new DeviceSelection(DeviceKind.Auto) { CpuCores = 1, FindGpus = () => GpuDiscovery.Find([_folder.File("no-nvml.so")], [_folder.File("no-nvidia-smi")], null) };

        var opened = selection.Open(s_model);

        Assert.Equal("cpu", Assert.Single(opened.Runners).Device);
        Assert.Contains("no NVIDIA GPU", Assert.Single(opened.Warnings));
        Dispose(opened);
    }

    [Fact]
    public void Auto_with_a_gpu_but_no_cuda_runs_on_the_cpu_and_names_the_missing_library()
    {
        if (CudaProvider.Check() is null)
            return; // CUDA works here: Cuda_names_the_missing_library_or_runs_on_every_gpu checks the sessions
        var selection = new DeviceSelection(DeviceKind.Auto) { CpuCores = 1, FindGpus = () => OneGpu() };

        var opened = selection.Open(s_model);

        Assert.Equal("cpu", Assert.Single(opened.Runners).Device);
        string warning = Assert.Single(opened.Warnings);
        Assert.True(NamesMissingLibrary(warning), warning);
        Dispose(opened);
    }

    [Fact]
    public void A_gpu_that_does_not_exist_is_an_error_that_lists_those_that_do()
    {
        var selection = new DeviceSelection(DeviceKind.Cuda, [0, 3]) { FindGpus = () => OneGpu() };

        var error = Assert.Throws<DeviceUnavailableException>(() => selection.Open(s_model));

        Assert.Equal("cuda:3", error.Device);
        Assert.Contains("0 (NVIDIA H200)", error.Message);
    }

    [Fact]
    public void Device_ids_on_the_cpu_are_a_warning()
    {
        var opened = new DeviceSelection(DeviceKind.Cpu, [1]) { CpuCores = 1 }.Open(s_model);

        Assert.Contains("ignored", Assert.Single(opened.Warnings));
        Dispose(opened);
    }

    private static GpuDiscoveryResult OneGpu() => new([new GpuInfo(0, "NVIDIA H200", 150_000_000_000, 149_000_000_000, 0, GpuInfoSource.Nvml)], []);

    private static bool NamesMissingLibrary(string message) => CudaLibraries.Required.Any(l => message.Contains(l.File));

    private static void Dispose(OpenedDevices opened)
    {
        foreach (var runner in opened.Runners)
            runner.Dispose();
    }
}
