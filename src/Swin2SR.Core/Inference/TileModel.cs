using System.Buffers;
using Microsoft.ML.OnnxRuntime;
using Swin2SR.Core.Inference.CpuMemory;
using Swin2SR.Core.Inference.Devices;
using Swin2SR.Core.Inference.Float16;
using Swin2SR.Core.Tiling;

namespace Swin2SR.Core.Inference;

/// <summary>
/// One model on one device and what it needs to run batches of square tiles: a session in the run's precision,
/// and for an fp16 run a float32 session made on first need (an image redone after its fp16 output failed the
/// quality gate). On the CPU, <see cref="Lanes"/> device workers call <see cref="Run"/> at once (ONNX Runtime's
/// sessions are thread-safe; each call allocates its own tensors); a GPU has one.
/// </summary>
public sealed class TileModel : ITileRunner
{
    private readonly InferenceSession _session;
    private readonly Lazy<InferenceSession>? _float32Session;
    private readonly Lazy<InferenceSession>? _largeRunSession;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    // Opened on the first reading (the batch sizer's), kept for the runner's life.
    private Lazy<GpuMemoryReader>? _gpuMemory;

    private TileModel(string path, InferenceSession session, ModelContract contract, Precision precision, Func<InferenceSession> openFloat32, Func<InferenceSession>? openLargeRun)
    {
        Path = path;
        _session = session;
        Contract = contract;
        Precision = precision;
        _float32Session = precision == Precision.Fp32 || contract.ComputesInHalf ? null : new Lazy<InferenceSession>(openFloat32);
        _largeRunSession = openLargeRun is null ? null : new Lazy<InferenceSession>(openLargeRun);
        _inputNames = [contract.InputName];
        _outputNames = [contract.OutputName];
    }

    public string Path { get; }
    public ModelContract Contract { get; }
    public string Device { get; private init; } = "cpu";
    public DeviceKind Kind { get; private init; } = DeviceKind.Cpu;
    public int Scale => Contract.Scale;
    public Precision Precision { get; }

    public int Lanes { get; private init; } = 1;

    public long? RunPixelLimit { get; private init; }

    /// <summary>Whether this CPU session computes in <see cref="HugePageAllocator"/>'s memory (runs up to <see cref="RunPixelLimit"/>).</summary>
    public bool HugePages { get; private init; }

    /// <summary>Why the precision asked for could not be used (the model runs in fp32 instead); null when it is used.</summary>
    public string? PrecisionNote { get; private init; }

    /// <summary>
    /// CPU workers for <paramref name="cores"/> cores: one per core, at most <see cref="MaxCpuLanes"/> and one per
    /// <see cref="BytesPerCpuLane"/> of <paramref name="memoryBytes"/>. Tiles run side by side on single cores go
    /// faster than one tile at a time spread over every core (ONNX Runtime's threads wait for each other at every
    /// operator): 1.26x (tiny model, 256x256 tiles) and 1.34-1.37x (full size, 64x64) the tiles per second on two
    /// cores (docs/benchmarks.md, "CPU: a worker per core").
    /// </summary>
    /// <param name="memoryBytes">The memory this process may use.</param>
    public static int CpuLanes(int cores, long memoryBytes) =>
        (int)Math.Clamp(Math.Min(cores, memoryBytes / BytesPerCpuLane), 1, MaxCpuLanes);

    /// <summary>Concurrent runs hold their activations at once: a bound on memory however many cores there are.</summary>
    public const int MaxCpuLanes = 8;

    /// <summary>
    /// Memory for each lane: a full-size model's 256x256 tile holds 2 GB of activations while it runs, and the
    /// images in flight, the runtime and the rest of the machine need as much again.
    /// </summary>
    public const long BytesPerCpuLane = 4L << 30;

    /// <param name="cores">The cores inference may use: <see cref="CpuLanes"/> workers (for the memory this process may
    /// use) run tiles at once, and the session's intra-op pool holds the cores beyond those workers' own threads
    /// (none when there is a worker per core).</param>
    /// <param name="cache">Where optimized graphs are kept between starts; null: optimize at every start.</param>
    /// <param name="lanes">Workers running tiles at once, when not <see cref="CpuLanes"/> (benchmarks compare the two ways of using the cores).</param>
    /// <param name="memoryBytes">The memory this process may use, when not what the garbage collector says (for
    /// <see cref="CpuLanes"/> and <see cref="RunPixelLimitFor"/>).</param>
    public static TileModel LoadCpu(string path, int cores, OptimizedGraphCache? cache = null, Precision precision = Precision.Fp32, int? lanes = null, long? memoryBytes = null)
    {
        long memory = memoryBytes ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        int workers = Math.Clamp(lanes ?? CpuLanes(cores, memory), 1, cores);
        bool hugePages = HugePageAllocator.TryEnable(out _);
        return Load(path, "cpu", workers, cache, precision, RunPixelLimitFor(memory), hugePages, useHugePages =>
        {
            var options = new SessionOptions
            {
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                // The calling thread counts as one of a run's intra-op threads.
                IntraOpNumThreads = cores - workers + 1,
                LogSeverityLevel = SessionLogLevel,
            };
            // Between operators the intra-op threads sleep rather than spin, so the decoders and encoders that share
            // the cores run when inference waits instead of competing with busy-waiting.
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            if (useHugePages)
                options.AddSessionConfigEntry("session.use_env_allocators", "1");
            return options;
        });
    }

    /// <summary>
    /// What a session prints to the console: a failed kernel comes back as an exception, which the product reports
    /// (or answers: out of memory means a smaller batch); at level ERROR ONNX Runtime would also print it, in red.
    /// </summary>
    internal const OrtLoggingLevel SessionLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;

    /// <summary>
    /// The CPU's <see cref="RunPixelLimit"/> for <paramref name="memoryBytes"/> this process may use: a quarter of it
    /// at the activations of the largest Swin2SR models (<see cref="BytesPerCpuLane"/>'s 2 GB for a 256x256 tile,
    /// 32 KiB per pixel).
    /// </summary>
    internal static long RunPixelLimitFor(long memoryBytes) => memoryBytes / 4 / ActivationBytesPerPixel;

    private const long ActivationBytesPerPixel = 32L << 10;

    /// <exception cref="DeviceUnavailableException">The CUDA provider cannot load; the message names the missing libraries.</exception>
    public static TileModel LoadCuda(string path, int deviceId, CudaSettings settings, OptimizedGraphCache? cache = null, Precision precision = Precision.Fp32)
    {
        var model = Load(path, $"cuda:{deviceId}", lanes: 1, cache, precision, runPixelLimit: null, hugePages: false, _ => CudaProvider.CreateSessionOptions(deviceId, settings));
        model._gpuMemory = new Lazy<GpuMemoryReader>(() => new GpuMemoryReader(deviceId));
        return model;
    }

    /// <param name="createOptions">The session options; the argument says whether the session computes in
    /// <see cref="HugePageAllocator"/>'s memory.</param>
    private static TileModel Load(string path, string device, int lanes, OptimizedGraphCache? cache, Precision precision, long? runPixelLimit, bool hugePages, Func<bool, SessionOptions> createOptions)
    {
        if (!File.Exists(path))
            throw new ModelLoadException(path, "the file does not exist");
        // ONNX Runtime's own words for a missing weights file name neither the file nor the model's folder.
        if (ExternalDataFiles.Problem(path) is { } dataProblem)
            throw new ModelLoadException(path, dataProblem);
        InferenceSession Open(string file, bool useHugePages = false) => OpenSession(file, path, device, cache, () => createOptions(useHugePages));
        string? note = null;
        string file = path;
        InferenceSession? session = null;
        if (precision == Precision.Fp16)
        {
            try
            {
                file = Float16Models.Prepare(path, cache);
                session = Open(file, hugePages);
            }
            catch (Exception e) when (e is NotSupportedException or ModelLoadException or IOException or UnauthorizedAccessException)
            {
                note = $"fp16 is not available for {System.IO.Path.GetFileName(path)} on {device}: {e.Message}; it runs in fp32.";
                (precision, file) = (Precision.Fp32, path);
            }
        }
        session ??= Open(file, hugePages);
        try
        {
            var contract = ModelContract.Read(session, path);
            // A model that takes or gives halves computes in half whatever was asked, and has no float32 version to
            // fall back to (which is no reason for a note: it is how its maker converted it).
            if (contract.ComputesInHalf)
                (precision, note) = (Precision.Fp16, null);
            // The float32 session only redoes images whose fp16 output failed: rare, and of any size, so on the arena.
            return new TileModel(path, session, contract, precision, () => Open(path), hugePages ? () => Open(file) : null)
            {
                Device = device,
                Kind = device == "cpu" ? DeviceKind.Cpu : DeviceKind.Cuda,
                Lanes = lanes,
                PrecisionNote = note,
                RunPixelLimit = runPixelLimit,
                HugePages = hugePages,
            };
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static InferenceSession OpenSession(string file, string modelPath, string device, OptimizedGraphCache? cache, Func<SessionOptions> createOptions)
    {
        try
        {
            // Graphs are cached per device kind ("cuda" of "cuda:1"): every GPU of a kind runs the same optimized graph.
            return cache?.Open(file, device.Split(':')[0], createOptions) ?? OptimizedGraphCache.CreateSession(file, createOptions);
        }
        catch (OnnxRuntimeException e) when (UnsupportedOperator.Find(e.Message) is { } op)
        {
            throw new ModelLoadException(modelPath, UnsupportedOperator.Reason(op, device, e.Message), e) { Recommendation = UnsupportedOperator.Recommendation };
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelLoadException(modelPath, $"ONNX Runtime cannot load it on {device} ({e.Message})", e);
        }
    }

    /// <summary>
    /// Runs <paramref name="batch"/> tiles of <paramref name="tile"/> from the start of
    /// <paramref name="input"/> ([B,3,H,W]) into the start of <paramref name="output"/> ([B,3,sH,sW]), in
    /// <paramref name="precision"/> (fp32 on a runner opened in fp16 uses its float32 session, where the model has one).
    /// A one-channel model runs on the tiles' luma (<see cref="LumaTiles"/>).
    /// </summary>
    public void Run(float[] input, float[] output, int batch, TileShape tile, Precision precision)
    {
        var session = precision == Precision.Fp32 && _float32Session is not null ? _float32Session.Value
            : batch * tile.Pixels > RunPixelLimit && _largeRunSession is not null ? _largeRunSession.Value
            : _session;
        if (Contract.Channels == 3)
        {
            RunSession(session, input, output, batch, tile);
            return;
        }
        // A luma model: its input and output are a third of the tiles'.
        int pixels = (int)tile.Pixels;
        var luma = ArrayPool<float>.Shared.Rent(batch * pixels);
        var upscaled = ArrayPool<float>.Shared.Rent(batch * pixels * Scale * Scale);
        try
        {
            LumaTiles.Split(input, luma, batch, pixels);
            RunSession(session, luma, upscaled, batch, tile);
            LumaTiles.Join(input, upscaled, output, batch, tile, Scale);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(luma);
            ArrayPool<float>.Shared.Return(upscaled);
        }
    }

    /// <summary>Runs [batch,C,H,W] from the start of <paramref name="input"/> into [batch,C,sH,sW] at the start of <paramref name="output"/>, C the model's channels.</summary>
    private void RunSession(InferenceSession session, float[] input, float[] output, int batch, TileShape tile)
    {
        int channels = Contract.Channels;
        long inLength = batch * channels * tile.Pixels;
        long outLength = inLength * Scale * Scale;
        using var inputValue = BoundaryTensor.Input(input.AsMemory(0, (int)inLength), [batch, channels, tile.Height, tile.Width], Contract.HalfInput);
        using var outputValue = BoundaryTensor.Output(output.AsMemory(0, (int)outLength), [batch, channels, tile.Height * Scale, tile.Width * Scale], Contract.HalfOutput);
        try
        {
            session.Run(_runOptions, _inputNames, [inputValue.Value], _outputNames, [outputValue.Value]);
            outputValue.CopyOut();
        }
        catch (Exception e) when (DeviceOutOfMemoryException.IsOutOfMemory(e))
        {
            throw new DeviceOutOfMemoryException(Device, batch, tile, e);
        }
        // Before the scale check below, which would run the batch again on a device that can only fail.
        catch (OnnxRuntimeException e) when (DeviceLostException.IsDeviceLost(e))
        {
            throw new DeviceLostException(Device, e);
        }
        catch (OnnxRuntimeException e) when (ComputedScale(session, inputValue.Value, tile.Height) is int actual && actual != Scale)
        {
            throw ModelContract.ScaleMismatch(Path, Scale, actual, e);
        }
        finally
        {
            if (HugePages)
                HugePageAllocator.RunEnded();
        }
    }

    /// <summary>
    /// The scale a failed run's input comes out at when ONNX Runtime sizes the output itself; null when it fails that
    /// way too. Only after a failure: a model whose stated scale is wrong fails every run into outputs of that scale.
    /// </summary>
    private int? ComputedScale(InferenceSession session, OrtValue input, int tileHeight)
    {
        try
        {
            using var results = session.Run(_runOptions, _inputNames, [input], _outputNames);
            var shape = results[0].GetTensorTypeAndShape().Shape;
            return shape.Length == 4 && shape[2] % tileHeight == 0 ? (int)(shape[2] / tileHeight) : null;
        }
        catch (OnnxRuntimeException)
        {
            return null;
        }
    }

    /// <summary>Makes a <see cref="Run"/> in progress on another thread return early (Ctrl+C).</summary>
    public void Terminate() => _runOptions.Terminate = true;

    /// <summary>A GPU's free and total memory from the driver (NVML, else nvidia-smi); null on the CPU or when the driver does not say.</summary>
    public DeviceMemory? Memory() => _gpuMemory?.Value.Read();

    public void Dispose()
    {
        _session.Dispose();
        if (_float32Session is { IsValueCreated: true })
            _float32Session.Value.Dispose();
        if (_largeRunSession is { IsValueCreated: true })
            _largeRunSession.Value.Dispose();
        _runOptions.Dispose();
        if (_gpuMemory is { IsValueCreated: true })
            _gpuMemory.Value.Dispose();
        if (Kind == DeviceKind.Cpu)
            HugePageAllocator.ReleaseFree();
    }
}
