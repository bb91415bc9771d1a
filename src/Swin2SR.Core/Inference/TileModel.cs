using Microsoft.ML.OnnxRuntime;
using Swin2SR.Core.Inference.Devices;

namespace Swin2SR.Core.Inference;

/// <summary>
/// One ONNX Runtime session and what it needs to run batches of square tiles. A session belongs to one
/// device worker; <see cref="Run"/> is not called concurrently.
/// </summary>
public sealed class TileModel : ITileRunner
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    private TileModel(string path, InferenceSession session, ModelContract contract)
    {
        Path = path;
        _session = session;
        Contract = contract;
        _inputNames = [contract.InputName];
        _outputNames = [contract.OutputName];
    }

    public string Path { get; }
    public ModelContract Contract { get; }
    public string Device { get; private init; } = "cpu";
    public int Scale => Contract.Scale;

    /// <param name="cache">Where optimized graphs are kept between starts; null: optimize at every start.</param>
    public static TileModel LoadCpu(string path, int intraOpThreads, OptimizedGraphCache? cache = null) =>
        Load(path, "cpu", cache, () => new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = intraOpThreads,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        });

    /// <exception cref="DeviceUnavailableException">The CUDA provider cannot load; the message names the missing libraries.</exception>
    public static TileModel LoadCuda(string path, int deviceId, CudaSettings settings, OptimizedGraphCache? cache = null) =>
        Load(path, $"cuda:{deviceId}", cache, () => CudaProvider.CreateSessionOptions(deviceId, settings));

    private static TileModel Load(string path, string device, OptimizedGraphCache? cache, Func<SessionOptions> createOptions)
    {
        if (!File.Exists(path))
            throw new ModelLoadException(path, "the file does not exist");
        InferenceSession session;
        try
        {
            // Graphs are cached per device kind ("cuda" of "cuda:1"): every GPU of a kind runs the same optimized graph.
            session = cache?.Open(path, device.Split(':')[0], createOptions) ?? OptimizedGraphCache.CreateSession(path, createOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelLoadException(path, $"ONNX Runtime cannot load it on {device} ({e.Message})", e);
        }
        try
        {
            return new TileModel(path, session, ModelContract.Read(session, path)) { Device = device };
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="batch"/> tiles of <paramref name="tile"/> x <paramref name="tile"/> from the start of
    /// <paramref name="input"/> ([B,3,T,T]) into the start of <paramref name="output"/> ([B,3,sT,sT]).
    /// </summary>
    public void Run(float[] input, float[] output, int batch, int tile)
    {
        int outTile = tile * Scale;
        long inLength = (long)batch * 3 * tile * tile;
        long outLength = (long)batch * 3 * outTile * outTile;
        using var inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(0, (int)inLength), [batch, 3, tile, tile]);
        using var outputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, output.AsMemory(0, (int)outLength), [batch, 3, outTile, outTile]);
        try
        {
            _session.Run(_runOptions, _inputNames, [inputValue], _outputNames, [outputValue]);
        }
        catch (Exception e) when (DeviceOutOfMemoryException.IsOutOfMemory(e))
        {
            throw new DeviceOutOfMemoryException(Device, batch, tile, e);
        }
    }

    /// <summary>Makes a <see cref="Run"/> in progress on another thread return early (Ctrl+C).</summary>
    public void Terminate() => _runOptions.Terminate = true;

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}
