using System.Management.Automation;

namespace Swin2SR.PowerShell.Commands;

/// <summary>The job-management cmdlets: a store to read, opened once per command, and job names resolved by wildcard.</summary>
public abstract class JobCommandBase : JobStoreCommandBase
{
    /// <summary>
    /// Bound from the Store of the jobs, items and results piped in (Get-Swin2SRJob -JobStore X | Remove-Swin2SRJob):
    /// without it the command looked for the job in the default store, and acted on a job of the same name there.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Store")]
    [ValidateNotNullOrEmpty]
    public override string? JobStore { get; set; }

    private JobStoreQueries? _queries;
    // The -JobStore the queries were opened for: jobs piped in from several stores each bind theirs.
    private string? _queriesFor;

    private protected JobStoreQueries Queries
    {
        get
        {
            if (_queries is not null && _queriesFor != JobStore)
                DisposeQueries();
            if (_queries is null)
            {
                try
                {
                    _queries = JobStoreQueries.OpenToQuery(Store);
                    _queriesFor = JobStore;
                }
                catch (SetupFailedException e)
                {
                    ThrowTerminatingError(e.Record);
                }
            }
            return _queries!;
        }
    }

    private readonly HashSet<string> _patternsSeen = new(StringComparer.Ordinal), _jobsSeen = new(StringComparer.Ordinal);

    /// <summary>
    /// Runs one per-job action for each job the patterns name, once per job in the whole command: the items or
    /// results of one job piped in name it once each, and patterns may overlap ('night*', 'nightly'). A job that
    /// does not exist (or a store error) is an error record, not the end. Jobs of the same name in two stores piped
    /// in are two jobs.
    /// </summary>
    private protected void ForEachJob(IEnumerable<string> patterns, Action<string> action)
    {
        foreach (var pattern in patterns.Where(p => _patternsSeen.Add(InStore(p))))
        {
            try
            {
                var names = WildcardPattern.ContainsWildcardCharacters(pattern) ? Queries.Names(pattern) : [pattern];
                foreach (var name in names.Where(n => _jobsSeen.Add(InStore(n))))
                    action(name);
            }
            catch (SetupFailedException e)
            {
                WriteError(e.Record);
            }
        }
    }

    protected override void EndProcessing() => DisposeQueries();

    protected override void StopProcessing() => DisposeQueries();

    private void DisposeQueries()
    {
        _queries?.Dispose();
        _queries = null;
    }
}
