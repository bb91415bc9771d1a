using System.Management.Automation;
using Swin2SR.PowerShell.Completion;

namespace Swin2SR.PowerShell.Commands;

/// <summary>Shows jobs: state, counts, rate, time remaining and workers. Reads only, so it never slows a running job.</summary>
[Cmdlet(VerbsCommon.Get, "Swin2SRJob")]
[OutputType(typeof(Swin2SRJobInfo))]
public sealed class GetSwin2SRJobCommand : JobCommandBase
{
    /// <summary>
    /// JobName, not Name, for the reason on Resume-Swin2SRJob's: piped results and job items name their job in
    /// JobName, and under -Name their file's name was looked up as a job (JobNotFound for every item).
    /// </summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(JobNameCompleter))]
    public string[]? JobName { get; set; }

    protected override void ProcessRecord()
    {
        ForEachJob(JobName ?? ["*"], name => WriteObject(Queries.Summary(name)));
    }
}
