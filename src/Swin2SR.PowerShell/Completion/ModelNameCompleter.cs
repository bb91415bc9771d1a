using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Swin2SR.PowerShell.Commands;

namespace Swin2SR.PowerShell.Completion;

/// <summary>
/// Tab completion for -Model: the models shipped with the module and those installed in the model folder, and, for
/// a word that is a path, folders and .onnx files (as -Model takes them).
/// </summary>
public sealed class ModelNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        // A word typed in quotes arrives with its opening quote.
        string word = wordToComplete.Trim('\'', '"');
        var names = ModelLookup.Names()
            .Where(name => name.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Select(name => new CompletionResult(name, name, CompletionResultType.ParameterValue, name));
        return names.Concat(IsPath(word) ? ModelFiles(wordToComplete) : []).ToList();
    }

    // What -Model takes as a path, and the starts of one that hold no separator yet (., ~, a drive's name and colon).
    private static bool IsPath(string word) =>
        Core.Models.ModelLocator.IsPath(word) || word.StartsWith('.') || word.StartsWith('~') || word.Contains(':');

    private static IEnumerable<CompletionResult> ModelFiles(string wordToComplete) =>
        CompletionCompleters.CompleteFilename(wordToComplete).Where(result =>
            result.ResultType == CompletionResultType.ProviderContainer
            || result.CompletionText.TrimEnd('\'', '"').EndsWith(".onnx", StringComparison.OrdinalIgnoreCase));
}
