using System.Collections;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Language;
using Swin2SR.PowerShell.Commands;

namespace Swin2SR.PowerShell.Completion;

/// <summary>
/// Tab completion for -Name of the model cmdlets: the catalog's models (from -Catalog when it is a local file
/// already typed, else the module's catalog), and for Get-Swin2SRModel also the embedded and installed ones.
/// A catalog address is never fetched while typing.
/// </summary>
public sealed class CatalogModelNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string catalog = fakeBoundParameters["Catalog"] is string typed && CompletionPath.Resolve(typed) is var local && File.Exists(local)
            ? local : ModelManager.DefaultCatalog;
        var names = ModelManager.CatalogNames(catalog).AsEnumerable();
        if (string.Equals(commandName, "Get-Swin2SRModel", StringComparison.OrdinalIgnoreCase))
            names = names.Union(UpscaleRun.ModelNames());
        string prefix = wordToComplete.Trim('\'', '"');
        return names
            .Where(name => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(name => new CompletionResult(name, name, CompletionResultType.ParameterValue, name))
            .ToList();
    }
}
