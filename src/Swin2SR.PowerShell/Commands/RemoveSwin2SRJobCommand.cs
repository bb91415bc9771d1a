using System.Management.Automation;
using Swin2SR.PowerShell.Completion;

namespace Swin2SR.PowerShell.Commands;

/// <summary>Deletes jobs and their journal from the store. Output files are left alone.</summary>
[Cmdlet(VerbsCommon.Remove, "Swin2SRJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
public sealed class RemoveSwin2SRJobCommand : JobCommandBase
{
    /// <summary>JobName, not Name, for the reason on Resume-Swin2SRJob's: piped job items name their job in JobName.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(JobNameCompleter))]
    public string[] JobName { get; set; } = [];

    /// <summary>
    /// Remove a job even while workers are running it: their outcomes are no longer journaled, and they end when
    /// their next claim finds nothing.
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        ForEachJob(JobName, name =>
        {
            var job = Queries.Summary(name);
            if (job.Workers.Length > 0 && !Force)
            {
                WriteError(new ErrorRecord(new InvalidOperationException($"Job '{name}' is running ({string.Join(", ", job.Workers)}); stop it first, or use -Force."),
                    "JobIsRunning", ErrorCategory.ResourceBusy, name));
                return;
            }
            if (ShouldProcess(name, $"Remove Swin2SR job ({job.Total} {(job.Total == 1 ? "item" : "items")}; outputs are kept)"))
                Queries.Remove(name, workersRunning: job.Workers.Length > 0);
        });
    }
}
