using System.Management.Automation;
using Swin2SR.PowerShell.Completion;

namespace Swin2SR.PowerShell.Commands;

/// <summary>Continues jobs with their recorded options: after a crash, a reboot, Ctrl+C or Stop-Swin2SRJob.</summary>
[Cmdlet(VerbsLifecycle.Resume, "Swin2SRJob", SupportsShouldProcess = true)]
[OutputType(typeof(Swin2SRUpscaleResult))]
[OutputType(typeof(Jobs.UpscaleBackgroundJob))]
public sealed class ResumeSwin2SRJobCommand : UpscaleCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(JobNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>Queue the job's failed items again as well.</summary>
    [Parameter]
    public SwitchParameter RetryFailed { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var name in Name)
        {
            if (ShouldProcess(name, RetryFailed ? "Resume the Swin2SR job, its failed images too" : "Resume the Swin2SR job"))
                Execute(() => UpscaleRun.StartResume(Store, name, RetryFailed, PathMap, Devices));
        }
    }
}
