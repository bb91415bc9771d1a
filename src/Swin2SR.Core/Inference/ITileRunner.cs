namespace Swin2SR.Core.Inference;

/// <summary>
/// Runs batches of square tiles on one device. A device worker owns one runner and never calls it concurrently.
/// </summary>
public interface ITileRunner : IDisposable
{
    ModelContract Contract { get; }

    /// <summary>The model file this runner's session was made from.</summary>
    string Path { get; }

    /// <summary>The device, as shown to users: "cpu", "cuda:0", ...</summary>
    string Device { get; }

    /// <summary>Runs [batch,3,tile,tile] from the start of <paramref name="input"/> into the start of <paramref name="output"/>.</summary>
    /// <exception cref="DeviceOutOfMemoryException">The device could not allocate what the batch needs.</exception>
    void Run(float[] input, float[] output, int batch, int tile);

    /// <summary>Makes a run in progress on another thread return early (Ctrl+C).</summary>
    void Terminate();
}
