using System.Management.Automation;
using Swin2SR.PowerShell.Completion;

namespace Swin2SR.PowerShell.Commands;

/// <summary>Lists a job's items from the journal, for filtering, grouping and reports.</summary>
[Cmdlet(VerbsCommon.Get, "Swin2SRJobItem")]
[OutputType(typeof(Swin2SRJobItem))]
public sealed class GetSwin2SRJobItemCommand : JobCommandBase
{
    /// <summary>JobName, not Name, for the reason on Resume-Swin2SRJob's: piped results name their job in JobName.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(JobNameCompleter))]
    public string[] JobName { get; set; } = [];

    [Parameter]
    public Swin2SRJobItemStatus[]? Status { get; set; }

    protected override void ProcessRecord()
    {
        ForEachJob(JobName, name =>
        {
            foreach (var item in Queries.Items(name, Status))
                WriteObject(item);
        });
    }
}
