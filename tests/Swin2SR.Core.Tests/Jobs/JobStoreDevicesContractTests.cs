using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Devices;

namespace Swin2SR.Core.Tests.Jobs;

/// <summary>The job-store contract on a job's device choice: read back by another connection, for Resume in another process.</summary>
public abstract partial class JobStoreContractTests
{
    [Fact]
    public void A_jobs_device_choice_is_read_back_by_another_connection_and_replaced_by_the_next_record()
    {
        using (var store = OpenStore())
            store.CreateOrUpdateJob("j", Options with { Device = DeviceKind.Cuda, DeviceIds = [1, 3], Precision = Precision.Fp16 });
        using var later = OpenStore();
        var read = later.FindJob("j")!.Options;
        Assert.Equal((DeviceKind.Cuda, Precision.Fp16), (read.Device, read.Precision));
        Assert.Equal([1, 3], read.DeviceIds!);

        // A later Invoke of the job records its own choice, as it does its other options.
        var next = later.CreateOrUpdateJob("j", Options with { Device = DeviceKind.Cpu }).Options;
        Assert.Equal((DeviceKind.Cpu, null, Precision.Fp32), (next.Device, next.DeviceIds, next.Precision));
    }
}
