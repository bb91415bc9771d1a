using Swin2SR.Core.Inference.Devices;

namespace Swin2SR.Core.Tests.Inference.Devices;

/// <summary>Output captured from nvidia-smi with NvidiaSmiParser.Arguments (memory in MiB, no header, no units).</summary>
public sealed class NvidiaSmiParserTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public void Reads_one_gpu()
    {
        var (gpus, problems) = NvidiaSmiParser.Parse("0, NVIDIA H200, 143771, 142990, 7\n");

        var gpu = Assert.Single(gpus);
        Assert.Empty(problems);
        Assert.Equal(new GpuInfo(0, "NVIDIA H200", 143771 * MiB, 142990 * MiB, 7, GpuInfoSource.NvidiaSmi), gpu);
        Assert.Equal(0, gpu.CudaDevice);
    }

    [Fact]
    public void Reads_several_gpus_in_their_order_with_windows_line_ends()
    {
        string output = "0, NVIDIA GeForce RTX 4090, 24564, 23010, 0\r\n1, NVIDIA GeForce RTX 3060, 12288, 11919, 100\r\n";

        var (gpus, problems) = NvidiaSmiParser.Parse(output);

        Assert.Empty(problems);
        Assert.Equal([0, 1], gpus.Select(g => g.Index));
        Assert.Equal(["NVIDIA GeForce RTX 4090", "NVIDIA GeForce RTX 3060"], gpus.Select(g => g.Name));
        Assert.Equal([24564 * MiB, 12288 * MiB], gpus.Select(g => g.TotalBytes));
        Assert.Equal([23010 * MiB, 11919 * MiB], gpus.Select(g => g.FreeBytes));
        Assert.Equal([0, 100], gpus.Select(g => g.UtilizationPercent));
    }

    [Fact]
    public void Fields_the_driver_cannot_tell_are_null()
    {
        // A GPU in MIG mode reports no utilization; some boards report no memory figures.
        string output = "0, NVIDIA A100-SXM4-40GB, 40960, 40337, [N/A]\n1, NVIDIA GH200 480GB, [N/A], [N/A], [Not Supported]\n";

        var (gpus, problems) = NvidiaSmiParser.Parse(output);

        Assert.Empty(problems);
        Assert.Equal(40960 * MiB, gpus[0].TotalBytes);
        Assert.Null(gpus[0].UtilizationPercent);
        Assert.Null(gpus[1].TotalBytes);
        Assert.Null(gpus[1].FreeBytes);
        Assert.Null(gpus[1].UtilizationPercent);
    }

    [Fact]
    public void A_comma_in_a_name_does_not_shift_the_numbers()
    {
        var (gpus, _) = NvidiaSmiParser.Parse("3, Tesla V100, PCIe edition, 16384, 16000, 12");

        var gpu = Assert.Single(gpus);
        Assert.Equal(3, gpu.Index);
        Assert.Equal("Tesla V100, PCIe edition", gpu.Name);
        Assert.Equal(16384 * MiB, gpu.TotalBytes);
        Assert.Equal(12, gpu.UtilizationPercent);
    }

    [Theory]
    [InlineData("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.")]
    [InlineData("No devices were found")]
    [InlineData("index, name, memory.total [MiB], memory.free [MiB], utilization.gpu [%]")]
    [InlineData("0, NVIDIA H200, lots, 142990, 7")]
    [InlineData("0, NVIDIA H200, 143771, 142990, 250")]
    [InlineData("x, NVIDIA H200, 143771, 142990, 7")]
    [InlineData("0, , 143771, 142990, 7")]
    [InlineData("0, 143771, 142990, 7")]
    public void A_line_that_is_not_a_gpu_is_a_problem_not_a_gpu(string line)
    {
        var (gpus, problems) = NvidiaSmiParser.Parse($"{line}\n1, NVIDIA L4, 23034, 22700, 3\n");

        Assert.Equal("NVIDIA L4", Assert.Single(gpus).Name);
        Assert.Contains(line, Assert.Single(problems));
    }

    [Fact]
    public void Empty_output_is_no_gpus()
    {
        var (gpus, problems) = NvidiaSmiParser.Parse("\n \n");

        Assert.Empty(gpus);
        Assert.Empty(problems);
    }
}
