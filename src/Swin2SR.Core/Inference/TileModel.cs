using Microsoft.ML.OnnxRuntime;

namespace Swin2SR.Core.Inference;

/// <summary>
/// One ONNX Runtime session and what it needs to run batches of square tiles. A session belongs to one
/// device worker; <see cref="Run"/> is not called concurrently.
/// </summary>
public sealed class TileModel : IDisposable
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
    public int Scale => Contract.Scale;

    public static TileModel LoadCpu(string path, int intraOpThreads)
    {
        if (!File.Exists(path))
            throw new ModelLoadException(path, "the file does not exist");
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = intraOpThreads,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        InferenceSession session;
        try
        {
            session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            options.Dispose();
            throw new ModelLoadException(path, $"ONNX Runtime cannot load it ({e.Message})", e);
        }
        try
        {
            return new TileModel(path, session, ModelContract.Read(session, path));
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
        _session.Run(_runOptions, _inputNames, [inputValue], _outputNames, [outputValue]);
    }

    /// <summary>Makes a <see cref="Run"/> in progress on another thread return early (Ctrl+C).</summary>
    public void Terminate() => _runOptions.Terminate = true;

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}
