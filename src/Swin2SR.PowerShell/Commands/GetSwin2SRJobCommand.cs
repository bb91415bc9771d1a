using System.Management.Automation;
using Swin2SR.PowerShell.Completion;

namespace Swin2SR.PowerShell.Commands;

/// <summary>Shows jobs: state, counts, rate, time remaining and workers. Reads only, so it never slows a running job.</summary>
[Cmdlet(VerbsCommon.Get, "Swin2SRJob")]
[OutputType(typeof(Swin2SRJobInfo))]
public sealed class GetSwin2SRJobCommand : JobCommandBase
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(JobNameCompleter))]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        ForEachJob(Name ?? ["*"], name => WriteObject(Queries.Summary(name)));
    }
}
