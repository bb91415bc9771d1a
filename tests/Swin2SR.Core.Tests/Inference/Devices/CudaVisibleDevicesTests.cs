using Swin2SR.Core.Inference.Devices;

namespace Swin2SR.Core.Tests.Inference.Devices;

public sealed class CudaVisibleDevicesTests
{
    private static readonly GpuInfo[] s_machine =
    [
        new(0, "GPU zero", 1, 1, 0, GpuInfoSource.Nvml),
        new(1, "GPU one", 1, 1, 0, GpuInfoSource.Nvml),
        new(2, "GPU two", 1, 1, 0, GpuInfoSource.Nvml),
    ];

    [Fact]
    public void Unset_leaves_every_gpu_with_its_own_index()
    {
        var notes = new List<string>();

        var visible = CudaVisibleDevices.Apply(s_machine, null, notes);

        Assert.Equal([0, 1, 2], visible.Select(g => g.CudaDevice));
        Assert.Empty(notes);
    }

    [Fact]
    public void Cuda_numbers_the_listed_gpus_in_the_listed_order()
    {
        var notes = new List<string>();

        var visible = CudaVisibleDevices.Apply(s_machine, "2, 0", notes);

        Assert.Equal(["GPU two", "GPU zero"], visible.Select(g => g.Name));
        Assert.Equal([0, 1], visible.Select(g => g.CudaDevice));
        Assert.Equal([2, 0], visible.Select(g => g.Index));
        Assert.Contains("2 of the 3", Assert.Single(notes));
    }

    [Theory]
    [InlineData("1,7,0", 1)] // 7 does not exist: CUDA stops there
    [InlineData("1,-1,0", 1)]
    [InlineData("", 0)]
    [InlineData("-1", 0)]
    public void The_list_ends_at_the_first_entry_that_is_not_a_gpu(string variable, int expected)
    {
        var visible = CudaVisibleDevices.Apply(s_machine, variable, []);

        Assert.Equal(expected, visible.Count);
    }

    [Fact]
    public void Gpus_named_by_uuid_are_kept_with_a_note()
    {
        var notes = new List<string>();

        var visible = CudaVisibleDevices.Apply(s_machine, "GPU-8932f937-d72c-4106-c12f-20bd9faed9f6", notes);

        Assert.Equal(3, visible.Count);
        Assert.Contains("UUID", Assert.Single(notes));
    }
}
