namespace Swin2SR.Core.Inference.Devices;

/// <summary>
/// The device asked for cannot run the model: no such GPU, or the CUDA provider cannot load (the message names the
/// missing libraries and what to install). A setup error that stops the run, like a missing model.
/// </summary>
public sealed class DeviceUnavailableException : Exception
{
    public DeviceUnavailableException(string device, string reason, Exception? inner = null)
        : base($"{device}: {reason}", inner)
    {
        Device = device;
        Reason = reason;
    }

    /// <summary>"cuda", "cuda:1", ...</summary>
    public string Device { get; }

    public string Reason { get; }
}
