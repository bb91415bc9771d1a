namespace Swin2SR.Core.Inference.Devices;

/// <summary>
/// One GPU's free and total memory for the batch sizer, which reads it around every batch size it tries: through an
/// NVML session opened once for the GPU's runner, else (a driver without NVML) through nvidia-smi each time, else
/// nothing (null). The GPU is found once, by its CUDA device id (CUDA_VISIBLE_DEVICES renumbers them).
/// </summary>
internal sealed class GpuMemoryReader : IDisposable
{
    private readonly int _cudaDevice;
    private readonly GpuInfoSource? _source;
    private readonly Nvml.MemoryReader? _nvml;

    public GpuMemoryReader(int cudaDevice)
    {
        _cudaDevice = cudaDevice;
        var gpu = Find(cudaDevice);
        _source = gpu?.Source;
        if (gpu is { Source: GpuInfoSource.Nvml })
            _nvml = Nvml.TryOpenMemoryReader(Nvml.DefaultLibraryNames, gpu.Index);
    }

    public DeviceMemory? Read()
    {
        if (_nvml is not null)
            return _nvml.Read();
        if (_source is null)
            return null;
        return Find(_cudaDevice) is { FreeBytes: long free, TotalBytes: long total } ? new DeviceMemory(free, total) : null;
    }

    private static GpuInfo? Find(int cudaDevice) => GpuDiscovery.Find().Gpus.FirstOrDefault(g => g.CudaDevice == cudaDevice);

    public void Dispose() => _nvml?.Dispose();
}
