using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Swin2SR.PowerShell.Commands;

namespace Swin2SR.PowerShell.Completion;

/// <summary>
/// Tab completion of job names from the job store (-JobStore if already typed, else the default one). Completion runs
/// on every Tab press, so it only reads: a store that does not exist yet is not created, and a server is not waited for.
/// </summary>
public sealed class JobNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            using var queries = JobStoreQueries.OpenToComplete(JobStoreTarget.ToComplete(fakeBoundParameters["JobStore"] as string));
            return queries.Names(wordToComplete.Trim('\'', '"') + "*")
                .Select(name => new CompletionResult(CompletionArgument.Of(name), name, CompletionResultType.ParameterValue, name))
                .ToList();
        }
        catch (SetupFailedException)
        {
            // No store yet (or an unusable one): nothing to complete, and completion must never throw.
            return [];
        }
    }
}
