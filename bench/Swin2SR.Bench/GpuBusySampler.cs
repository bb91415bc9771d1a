using Swin2SR.Core.Inference.Devices;

namespace Swin2SR.Bench;

/// <summary>
/// The GPUs' busy share while a benchmark runs: NVML's utilization (the share of its last sample period in which a
/// kernel ran) read every 250 ms and averaged over all GPUs and samples. Null without NVML (the CPU, no driver).
/// </summary>
internal sealed class GpuBusySampler : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<int> _samples = [];
    private Task? _sampling;

    public void Start() => _sampling = Task.Run(async () =>
    {
        while (!_stop.IsCancellationRequested)
        {
            var gpus = Nvml.TryRead(Nvml.DefaultLibraryNames, []);
            if (gpus is null)
                return;
            lock (_samples)
                _samples.AddRange(gpus.Select(g => g.UtilizationPercent).OfType<int>());
            await Task.Delay(250);
        }
    });

    /// <summary>Stops sampling; the mean busy percent, or null when nothing could be sampled.</summary>
    public double? Stop()
    {
        _stop.Cancel();
        _sampling?.Wait();
        lock (_samples)
            return _samples.Count > 0 ? _samples.Average() : null;
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }
}
