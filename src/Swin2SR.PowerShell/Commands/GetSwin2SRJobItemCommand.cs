using System.Management.Automation;
using Swin2SR.PowerShell.Completion;

namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// Lists a job's items from the journal, for filtering, grouping and reports. -Skip and -First page through the
/// whole output in the store's queries, so a page of a job of hundreds of thousands of items reads only its rows.
/// </summary>
[Cmdlet(VerbsCommon.Get, "Swin2SRJobItem", SupportsPaging = true)]
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

    private OutputPage? _page;
    private ulong _totalCount;

    protected override void BeginProcessing() => _page = new OutputPage(PagingParameters);

    protected override void ProcessRecord()
    {
        ForEachJob(JobName, name =>
        {
            // Counted only when asked for, or when needed to know how much of -Skip this job used up.
            long? matching = PagingParameters.IncludeTotalCount ? Queries.CountItems(name, Status) : null;
            int listed = 0;
            // Asked even once the page is full (a LIMIT of 0), so that a job named that does not exist is still an error.
            foreach (var item in Queries.Items(name, Status, _page!.Next))
            {
                WriteObject(item);
                listed++;
            }
            _page.Passed(listed, () => matching ??= Queries.CountItems(name, Status));
            _totalCount += (ulong)(matching ?? 0);
        });
    }

    /// <summary>The total comes last: piped job names are known only as they arrive.</summary>
    protected override void EndProcessing()
    {
        if (PagingParameters.IncludeTotalCount)
            WriteObject(PagingParameters.NewTotalCount(_totalCount, 1.0));
        base.EndProcessing();
    }
}
