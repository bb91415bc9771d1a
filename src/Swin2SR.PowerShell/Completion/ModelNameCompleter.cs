using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Swin2SR.PowerShell.Commands;

namespace Swin2SR.PowerShell.Completion;

/// <summary>Tab completion for -Model: the models shipped with the module and those installed in the model folder (and, by file path, anything else).</summary>
public sealed class ModelNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        return UpscaleRun.ModelNames()
            .Where(name => name.StartsWith(wordToComplete, StringComparison.OrdinalIgnoreCase))
            .Select(name => new CompletionResult(name, name, CompletionResultType.ParameterValue, name))
            .ToList();
    }
}
