using System.Management.Automation;
using Swin2SR.PowerShell.Completion;

namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// Asks every worker of a job, in any process or on any host, to stop: they notice within a second, abandon
/// their in-flight images cleanly (no partial files) and hand their items back; Resume-Swin2SRJob continues.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "Swin2SRJob", SupportsShouldProcess = true)]
[OutputType(typeof(Swin2SRJobInfo))]
public sealed class StopSwin2SRJobCommand : JobCommandBase
{
    /// <summary>JobName, not Name, for the reason on Resume-Swin2SRJob's: piped job items name their job in JobName.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(JobNameCompleter))]
    public string[] JobName { get; set; } = [];

    /// <summary>Emit the job after the request, to see its state.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        ForEachJob(JobName, name =>
        {
            if (!ShouldProcess(name, "Stop Swin2SR job"))
                return;
            Queries.RequestStop(name);
            if (PassThru)
                WriteObject(Queries.Summary(name));
        });
    }
}
