using System.Management.Automation;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Devices;

namespace Swin2SR.PowerShell.Commands;

/// <summary>Opens a run's model on the devices it chose; a model or device that cannot be used is a setup error.</summary>
internal static class DeviceOpening
{
    /// <summary>Sessions on the chosen devices (-Device, -DeviceId, -Precision).</summary>
    public static (IReadOnlyList<ITileRunner> Runners, IReadOnlyList<string> Warnings) Open(string modelPath, DeviceChoice choice)
    {
        ModelLookup.RequireUnchangedSinceInstall(modelPath);
        var selection = new DeviceSelection(Enum.Parse<DeviceKind>(choice.Kind, ignoreCase: true), choice.Ids)
        {
            Cache = OptimizedGraphCache.TryDefault(),
            Precision = choice.Precision,
        };
        try
        {
            var opened = selection.Open(modelPath);
            return (opened.Runners, opened.Warnings);
        }
        catch (ModelLoadException e)
        {
            throw ModelLookup.LoadFailed(e, modelPath);
        }
        catch (DeviceUnavailableException e)
        {
            // A device the job recorded (on another computer, perhaps) is that job's problem, as its missing model is:
            // the jobs piped after it are still resumed. One the command line asked for is the command's.
            throw new SetupFailedException(ErrorRecords.WithAction(e, "DeviceUnavailable", ErrorCategory.ResourceUnavailable, choice.Kind,
                "Get-Swin2SRDevice says which GPUs can be used and why not; -Device Cpu (or Auto) runs on the CPU." + choice.RecordedNote),
                terminating: choice.RecordedNote.Length == 0);
        }
    }
}
