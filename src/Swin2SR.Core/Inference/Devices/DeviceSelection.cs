namespace Swin2SR.Core.Inference.Devices;

/// <summary>The runners to use, one per device, and what the user should be told about the choice.</summary>
public sealed record OpenedDevices(IReadOnlyList<ITileRunner> Runners, IReadOnlyList<string> Warnings);

/// <summary>
/// Which devices a run uses (-Device, -DeviceId) and how their sessions are made; <see cref="Open"/> makes one
/// runner per device. Cpu: one session on <see cref="CpuCores"/> cores, run by a worker per core (its lanes).
/// Cuda: one session per GPU (every GPU CUDA sees, unless ids are given), or a
/// <see cref="DeviceUnavailableException"/> that names the missing libraries. Auto: every GPU whose session loads,
/// else the CPU, with a warning that says why.
/// </summary>
public sealed record DeviceSelection(DeviceKind Kind, IReadOnlyList<int>? DeviceIds = null)
{
    /// <summary>The cores inference uses on the CPU: every logical core (see <see cref="TileModel.LoadCpu"/>).</summary>
    public int CpuCores { get; init; } = Environment.ProcessorCount;

    /// <summary>Workers running tiles at once on the CPU; null: one per core as memory allows (<see cref="TileModel.CpuLanes"/>).</summary>
    public int? CpuLanes { get; init; }

    public CudaSettings Cuda { get; init; } = CudaSettings.Default;

    /// <summary>Where optimized graphs are kept between starts; null: optimize at every start.</summary>
    public OptimizedGraphCache? Cache { get; init; }

    /// <summary>Fp16 runs the model rewritten in half precision where it can be (a warning says when it cannot).</summary>
    public Precision Precision { get; init; } = Precision.Fp32;

    /// <summary>How GPUs are found; tests give a machine of their own.</summary>
    internal Func<GpuDiscoveryResult> FindGpus { get; init; } = GpuDiscovery.Find;

    /// <summary>Sessions for <paramref name="modelPath"/> on the selected devices; the caller disposes the runners.</summary>
    /// <exception cref="DeviceUnavailableException">Cuda was asked for and cannot be used.</exception>
    /// <exception cref="ModelLoadException">The model cannot be loaded.</exception>
    /// <exception cref="DeviceUnavailableException">ONNX Runtime's native library cannot be loaded (<see cref="OnnxEnvironment.Loading"/>).</exception>
    public OpenedDevices Open(string modelPath) => OnnxEnvironment.Loading(() => OpenSessions(modelPath));

    private OpenedDevices OpenSessions(string modelPath)
    {
        var warnings = new List<string>();
        if (Kind == DeviceKind.Cpu && DeviceIds is { Count: > 0 })
            warnings.Add("Device ids select GPUs; they are ignored on the CPU.");
        var opened = Kind switch
        {
            DeviceKind.Cpu => new OpenedDevices([TileModel.LoadCpu(modelPath, CpuCores, Cache, Precision, CpuLanes)], warnings),
            DeviceKind.Cuda => new OpenedDevices(OpenCuda(modelPath), warnings),
            _ => OpenAuto(modelPath, warnings),
        };
        warnings.AddRange(opened.Runners.OfType<TileModel>().Select(r => r.PrecisionNote).OfType<string>().Distinct());
        return opened;
    }

    private IReadOnlyList<ITileRunner> OpenCuda(string modelPath)
    {
        var ids = ChooseGpus(FindGpus());
        if (CudaProvider.Check() is { } reason)
            throw new DeviceUnavailableException("cuda", reason);
        var (runners, failures) = LoadAll(modelPath, ids);
        if (failures.Count == 0)
            return runners;
        Dispose(runners);
        throw failures[0].Error;
    }

    private OpenedDevices OpenAuto(string modelPath, List<string> warnings)
    {
        var found = FindGpus();
        if (found.Gpus.Count == 0)
            return OnCpu(modelPath, warnings, $"no NVIDIA GPU was found ({string.Join("; ", found.Notes)})");
        if (CudaProvider.Check() is { } reason)
            return OnCpu(modelPath, warnings, reason);
        var (runners, failures) = LoadAll(modelPath, ChooseGpus(found));
        warnings.AddRange(failures.Select(f => $"cuda:{f.Id} is not used: {f.Error.Message}"));
        // A model that no GPU can load goes to the CPU too: if the model itself is at fault, that load says so.
        return runners.Count > 0 ? new OpenedDevices(runners, warnings) : OnCpu(modelPath, warnings, "no GPU could load the model");
    }

    private OpenedDevices OnCpu(string modelPath, List<string> warnings, string reason)
    {
        // -Device Auto only: -Device Cpu asks for the CPU and is not warned, which a machine without a GPU wants in its logs.
        warnings.Add($"Running on the CPU, which is much slower than a GPU: {reason}. -Device Cpu chooses the CPU without this warning.");
        return new OpenedDevices([TileModel.LoadCpu(modelPath, CpuCores, Cache, Precision, CpuLanes)], warnings);
    }

    /// <summary>The CUDA device ids to open: those asked for (each must exist), else every GPU CUDA sees.</summary>
    private IReadOnlyList<int> ChooseGpus(GpuDiscoveryResult found)
    {
        var visible = found.Gpus.Select(g => g.CudaDevice).ToList();
        if (DeviceIds is not { Count: > 0 })
            return visible.Count > 0 ? visible : [0]; // the driver could not be asked, but CUDA loads: try the first GPU
        if (visible.Count > 0 && DeviceIds.FirstOrDefault(id => !visible.Contains(id), -1) is var missing and >= 0)
        {
            string list = string.Join(", ", found.Gpus.Select(g => $"{g.CudaDevice} ({g.Name})"));
            throw new DeviceUnavailableException($"cuda:{missing}", $"there is no such GPU; CUDA sees {visible.Count}: {list}");
        }
        return DeviceIds.Distinct().ToList();
    }

    /// <summary>Sessions on every GPU at once (each takes seconds to make); the successes in id order, and the failures.</summary>
    private (List<ITileRunner> Runners, List<(int Id, Exception Error)> Failures) LoadAll(string modelPath, IReadOnlyList<int> ids)
    {
        var loads = ids.Select(id => Task.Run(() => TryLoadCuda(modelPath, id))).ToArray();
        Task.WaitAll(loads); // anything but a device or model failure is a bug, and surfaces here
        var runners = loads.Select(t => t.Result.Runner).OfType<ITileRunner>().ToList();
        var failures = ids.Zip(loads).Where(p => p.Second.Result.Error is not null).Select(p => (p.First, p.Second.Result.Error!)).ToList();
        return (runners, failures);
    }

    private (ITileRunner? Runner, Exception? Error) TryLoadCuda(string modelPath, int id)
    {
        try
        {
            return (TileModel.LoadCuda(modelPath, id, Cuda, Cache, Precision), null);
        }
        catch (Exception e) when (e is ModelLoadException or DeviceUnavailableException)
        {
            return (null, e);
        }
    }

    private static void Dispose(IEnumerable<ITileRunner> runners)
    {
        foreach (var runner in runners)
            runner.Dispose();
    }
}
