using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Devices;

namespace Swin2SR.Core.Pipeline;

/// <summary>How many threads a run's encoders get and how many images it holds at once, from its devices and cores.</summary>
internal static class StageSizes
{
    /// <summary>
    /// As many encoders as decoders where the CPU also runs the model (they share its cores). Where only GPUs run it,
    /// every core the decoders leave: writing the output is then the heaviest work left to the CPU (0.22-0.25
    /// CPU-seconds from file to file for a 2012x1350 PNG output with a model that costs nothing, so 20 images/s needs
    /// five cores: bench/Measure-OutputCost.ps1), and an encoder with nothing to write waits without using its core.
    /// </summary>
    public static int Encoders(IReadOnlyList<ITileRunner> devices, int ioThreads, int cores) =>
        devices.All(d => d.Kind == DeviceKind.Cuda) ? Math.Max(ioThreads, cores - ioThreads) : ioThreads;

    /// <summary>
    /// Images decoded but not yet written, unless <paramref name="asked"/>: enough for every device worker to have
    /// one running and one waiting, and every encoder one to write; at least <see cref="UpscaleOptions.DefaultImagesInFlight"/>.
    /// The byte budget bounds their memory whatever the count.
    /// </summary>
    public static int ImagesInFlight(int? asked, int workers, int encoders) =>
        asked ?? Math.Max(UpscaleOptions.DefaultImagesInFlight, 2 * workers + encoders);
}
