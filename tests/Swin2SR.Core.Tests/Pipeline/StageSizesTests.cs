using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Devices;
using Swin2SR.Core.Pipeline;

namespace Swin2SR.Core.Tests.Pipeline;

public sealed class StageSizesTests
{
    /// <summary>Only what the sizes read: the device's kind and lanes.</summary>
    private sealed class FakeDevice(DeviceKind kind, int lanes = 1) : ITileRunner
    {
        public ModelContract Contract => throw new NotSupportedException();
        public string Path => "";
        public string Device => kind.ToString();
        public DeviceKind Kind => kind;
        public int Lanes => lanes;
        public Precision Precision => Precision.Fp32;
        public void Run(float[] input, float[] output, int batch, Swin2SR.Core.Tiling.TileShape tile, Precision precision) => throw new NotSupportedException();
        public DeviceMemory? Memory() => null;
        public void Terminate() { }
        public void Dispose() { }
    }

    [Fact]
    public void Where_the_cpu_runs_the_model_encoders_are_as_many_as_decoders()
    {
        Assert.Equal(2, StageSizes.Encoders([new FakeDevice(DeviceKind.Cpu, lanes: 2)], ioThreads: 2, cores: 2));
        Assert.Equal(4, StageSizes.Encoders([new FakeDevice(DeviceKind.Cpu, lanes: 8)], ioThreads: 4, cores: 16));
        Assert.Equal(4, StageSizes.Encoders([new FakeDevice(DeviceKind.Cuda), new FakeDevice(DeviceKind.Cpu, lanes: 8)], ioThreads: 4, cores: 16));
    }

    [Fact]
    public void Where_only_gpus_run_it_encoders_take_every_core_the_decoders_leave()
    {
        Assert.Equal(12, StageSizes.Encoders([new FakeDevice(DeviceKind.Cuda), new FakeDevice(DeviceKind.Cuda)], ioThreads: 4, cores: 16));
        Assert.Equal(2, StageSizes.Encoders([new FakeDevice(DeviceKind.Cuda)], ioThreads: 2, cores: 2));
    }

    [Theory]
    [InlineData(null, 2, 2, 8)]    // a 2-core CPU: the floor
    [InlineData(null, 1, 12, 14)]  // one GPU, 12 encoders
    [InlineData(null, 8, 4, 20)]   // a CPU with 8 lanes
    [InlineData(3, 8, 4, 3)]       // asked for
    public void Images_in_flight_feed_every_worker_twice_and_every_encoder_once(int? asked, int workers, int encoders, int expected) =>
        Assert.Equal(expected, StageSizes.ImagesInFlight(asked, workers, encoders));
}
