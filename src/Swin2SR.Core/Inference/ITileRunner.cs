using Swin2SR.Core.Tiling;

namespace Swin2SR.Core.Inference;

/// <summary>
/// Runs batches of tiles of one shape on one device, for <see cref="Lanes"/> device workers at once.
/// </summary>
public interface ITileRunner : IDisposable
{
    ModelContract Contract { get; }

    /// <summary>The model file this runner's session was made from.</summary>
    string Path { get; }

    /// <summary>The device, as shown to users: "cpu", "cuda:0", ...</summary>
    string Device { get; }

    /// <summary>Cpu or Cuda: a GPU wants few tile shapes (each is tuned, and batches need one shape), a CPU does not.</summary>
    Devices.DeviceKind Kind { get; }

    /// <summary>
    /// How many device workers call <see cref="Run"/> at once: one per GPU; on the CPU several, each running its
    /// batches on its own core (see <see cref="TileModel.CpuLanes"/>).
    /// </summary>
    int Lanes => 1;

    /// <summary>
    /// The largest run, in tiles x tile pixels in, that the device takes without being asked: automatic batches stay
    /// within it. The CPU's: a quarter of the memory at the largest Swin2SR models' activations; where its tensors
    /// are on huge pages, a larger run (asked for with -TileSize or -BatchSize) computes on ONNX Runtime's own arena,
    /// whose allocation failures come back as errors the scheduler answers with a smaller batch or tile (a huge-page
    /// allocator cannot report one: ONNX Runtime ends the process). Null on a GPU, whose free memory decides.
    /// </summary>
    long? RunPixelLimit => null;

    /// <summary>The precision the runner was opened in; it runs Fp32 too (a redo after an fp16 output failed).</summary>
    Precision Precision { get; }

    /// <summary>Runs [batch,3,tile.Height,tile.Width] from the start of <paramref name="input"/> into the start of <paramref name="output"/>.</summary>
    /// <exception cref="DeviceOutOfMemoryException">The device could not allocate what the batch needs.</exception>
    /// <exception cref="DeviceLostException">The device cannot compute any more in this process (a sticky CUDA error).</exception>
    void Run(float[] input, float[] output, int batch, TileShape tile, Precision precision);

    /// <summary>The device's memory now (free and total), for sizing batches; null where it cannot be read (the CPU).</summary>
    DeviceMemory? Memory();

    /// <summary>Makes a run in progress on another thread return early (Ctrl+C).</summary>
    void Terminate();
}
