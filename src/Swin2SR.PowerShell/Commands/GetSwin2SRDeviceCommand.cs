using System.Management.Automation;

namespace Swin2SR.PowerShell.Commands;

/// <summary>Lists the devices that can run a model: the NVIDIA GPUs CUDA sees, and the CPU, with ONNX Runtime's providers.</summary>
[Cmdlet(VerbsCommon.Get, "Swin2SRDevice")]
[OutputType(typeof(Swin2SRDeviceInfo))]
public sealed class GetSwin2SRDeviceCommand : PSCmdlet
{
    /// <summary>Only devices of these kinds.</summary>
    [Parameter(Position = 0)]
    public Swin2SRDeviceKind[]? Kind { get; set; }

    protected override void EndProcessing()
    {
        var (devices, notes) = DeviceListing.Take();
        foreach (string note in notes)
            WriteVerbose(note);
        foreach (var device in devices.Where(d => Kind is null || Kind.Contains(d.Kind)))
            WriteObject(device);
    }
}
