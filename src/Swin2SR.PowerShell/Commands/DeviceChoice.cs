using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Devices;
using Swin2SR.Core.Jobs;

namespace Swin2SR.PowerShell.Commands;

/// <summary>-Device (Auto, Cpu or Cuda), -DeviceId and -Precision a run uses.</summary>
internal sealed record DeviceChoice(string Kind, IReadOnlyList<int>? Ids, Precision Precision)
{
    /// <summary>What a device error adds where Resume took the choice from its job (empty otherwise): the user did not type it.</summary>
    public string RecordedNote { get; init; } = "";

    /// <summary>The options with this choice recorded in them, for Resume to go on with.</summary>
    public JobOptions RecordIn(JobOptions options) => options with
    {
        Device = Enum.Parse<DeviceKind>(Kind, ignoreCase: true),
        DeviceIds = Ids is { Count: > 0 } ? Ids.ToArray() : null,
        Precision = Precision,
    };
}

/// <summary>
/// Resume's -Device, -DeviceId and -Precision, each null where not given: the job's recorded choice stands for it.
/// -Device picks the devices anew (the job's ids belonged to its recorded kind: -Device Cpu given to a job recorded on
/// cuda:1 runs on the CPU, without a warning about ids); -DeviceId alone keeps the recorded kind.
/// </summary>
internal sealed record DeviceRequest(string? Kind, IReadOnlyList<int>? Ids, Precision? Precision)
{
    public DeviceChoice Over(JobRecord job)
    {
        var recorded = job.Options;
        var ids = Ids ?? (Kind is null ? recorded.DeviceIds : null);
        var choice = new DeviceChoice(Kind ?? recorded.Device.ToString(), ids, Precision ?? recorded.Precision);
        if (Kind is not null)
            return choice;
        string recordedIds = Ids is null && ids is { Count: > 0 } ? $" -DeviceId {string.Join(',', ids)}" : "";
        return choice with
        {
            RecordedNote = $" Job '{job.Name}' was recorded with -Device {choice.Kind}{recordedIds}: "
                + "Resume-Swin2SRJob -Device and -DeviceId choose others, for that run.",
        };
    }
}
