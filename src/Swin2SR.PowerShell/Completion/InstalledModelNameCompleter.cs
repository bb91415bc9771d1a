using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Swin2SR.PowerShell.Commands;

namespace Swin2SR.PowerShell.Completion;

/// <summary>Tab completion for Uninstall-Swin2SRModel -Name: the models installed in the model folder.</summary>
public sealed class InstalledModelNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string word = wordToComplete.Trim('\'', '"');
        using var manager = ModelManager.Open();
        return manager.InstalledNames()
            .Where(name => name.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Select(name => new CompletionResult(name, name, CompletionResultType.ParameterValue, name))
            .ToList();
    }
}
