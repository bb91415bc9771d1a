using Swin2SR.Core.Inference;
using Swin2SR.Core.Tiling;

namespace Swin2SR.Core.Tests.Support;

/// <summary>
/// A real ONNX Runtime session with a fault script in front of it: before each run the script may throw what a
/// device throws (out of memory, a device failure). Counts the batches it ran, and how many ran at once.
/// </summary>
internal sealed class ScriptedRunner : ITileRunner
{
    private readonly TileModel _model;
    private readonly Func<int, int, TileShape, Exception?> _fault;
    private readonly TimeSpan _latency;
    private int _calls;
    private int _running;
    private int _batches;

    /// <param name="fault">(call number, batch, tile) -> the exception to throw instead of running, or null.</param>
    /// <param name="latency">Added to every batch: a device slower than the decoders, so that work queues up.</param>
    /// <param name="cores">The CPU cores of the session, and as many lanes (workers running batches at once) whatever the memory.</param>
    /// <param name="memoryBytes">The memory the session takes the process to have, when not what it has.</param>
    /// <param name="kind">The kind of device it passes for, when not the CPU it runs on (what the scheduler plans for a GPU).</param>
    public ScriptedRunner(string modelPath, string device, Func<int, int, TileShape, Exception?>? fault = null, TimeSpan latency = default, int cores = 1, long? memoryBytes = null,
        Core.Inference.Devices.DeviceKind? kind = null)
    {
        _model = TileModel.LoadCpu(modelPath, cores, lanes: cores, memoryBytes: memoryBytes);
        _fault = fault ?? ((_, _, _) => null);
        _latency = latency;
        Device = device;
        Kind = kind ?? _model.Kind;
    }

    public ModelContract Contract => _model.Contract;
    public Precision Precision => _model.Precision;
    public string Path => _model.Path;
    public string Device { get; }
    public Core.Inference.Devices.DeviceKind Kind { get; }
    public int Lanes => _model.Lanes;
    public long? RunPixelLimit => _model.RunPixelLimit;
    public int Batches => _batches;
    public List<(int Batch, TileShape Tile)> Shapes { get; } = [];

    /// <summary>Per batch, in the order they ran, the first input value of each of its tiles (on flat images: which image).</summary>
    public List<float[]> FirstValues { get; } = [];

    /// <summary>The most batches that were running at the same moment.</summary>
    public int MostAtOnce { get; private set; }

    public void Run(float[] input, float[] output, int batch, TileShape tile, Precision precision)
    {
        if (_fault(Interlocked.Increment(ref _calls), batch, tile) is { } fault)
            throw fault;
        int running = Interlocked.Increment(ref _running);
        lock (Shapes)
            MostAtOnce = Math.Max(MostAtOnce, running);
        try
        {
            _model.Run(input, output, batch, tile, precision);
            Thread.Sleep(_latency);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
        Interlocked.Increment(ref _batches);
        var firstValues = Enumerable.Range(0, batch).Select(i => input[i * 3 * tile.Pixels]).ToArray();
        lock (Shapes)
        {
            Shapes.Add((batch, tile));
            FirstValues.Add(firstValues);
        }
    }

    public DeviceMemory? Memory() => _model.Memory();

    public void Terminate() => _model.Terminate();

    public void Dispose() => _model.Dispose();
}
