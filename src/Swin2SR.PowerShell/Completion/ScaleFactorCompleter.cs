using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Swin2SR.PowerShell.Completion;

/// <summary>
/// Tab completion for Measure-Swin2SRQuality -Scale: the factors benchmarks use (x2, x3, x4, x8), where Tab offered
/// file names. A completer class, as PowerShellStandard.Library has no ArgumentCompletionsAttribute.
/// </summary>
public sealed class ScaleFactorCompleter : IArgumentCompleter
{
    private static readonly string[] s_factors = ["2", "3", "4", "8"];

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        s_factors
            .Where(factor => factor.StartsWith(wordToComplete, StringComparison.Ordinal))
            .Select(factor => new CompletionResult(factor, factor, CompletionResultType.ParameterValue, $"x{factor}"))
            .ToList();
}
