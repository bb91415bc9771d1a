using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Swin2SR.PowerShell.Commands;

namespace Swin2SR.PowerShell.Completion;

/// <summary>
/// Tab completion for -Name of the model cmdlets: the catalog's models (from -Catalog when it is a local file
/// already typed, else the module's catalog), and for Get-Swin2SRModel also the embedded and installed ones; a word
/// with wildcards completes to the names it matches.
/// A catalog address is never fetched while typing.
/// </summary>
public sealed class CatalogModelNameCompleter : IArgumentCompleter
{
    /// <summary>How long Tab waits for a typed -Catalog file before it offers the module's catalog instead.</summary>
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(1.5);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var names = (TypedCatalogNames(fakeBoundParameters["Catalog"] as string) ?? ModelManager.CatalogNames(ModelManager.DefaultCatalog)).AsEnumerable();
        if (string.Equals(commandName, "Get-Swin2SRModel", StringComparison.OrdinalIgnoreCase))
            names = names.Union(ModelLookup.Names());
        // A wildcard as Get-Swin2SRModel -Name takes it (*-x4) completes to the names it matches, as job names do.
        var pattern = NamePattern.Of(wordToComplete.Trim('\'', '"') + "*");
        return names
            .Where(pattern.IsMatch)
            .Order(StringComparer.Ordinal)
            .Select(name => new CompletionResult(name, name, CompletionResultType.ParameterValue, name))
            .ToList();
    }

    /// <summary>
    /// The names in a typed -Catalog that is a local file; null for none, or for one that does not answer in time:
    /// a share whose server is gone can hold even the look for the file for half a minute (a named pipe, for ever),
    /// and Tab must not freeze the console. The look goes on on its own thread until it returns, and is dropped.
    /// </summary>
    private static IReadOnlyList<string>? TypedCatalogNames(string? typed)
    {
        if (typed is null)
            return null;
        // Resolved here: it asks the session, which only this (the pipeline) thread may.
        string local = CompletionPath.Resolve(typed);
        var lookup = Task.Factory.StartNew(() => File.Exists(local) ? ModelManager.CatalogNames(local) : null,
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return lookup.Wait(s_patience) ? lookup.Result : null;
    }
}
