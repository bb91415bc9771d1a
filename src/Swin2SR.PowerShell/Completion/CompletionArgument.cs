using System.Management.Automation.Language;
using System.Text.RegularExpressions;

namespace Swin2SR.PowerShell.Completion;

/// <summary>How a completed name is written into the command line so that it reads back as that name.</summary>
internal static partial class CompletionArgument
{
    /// <summary>
    /// The name as it is, when PowerShell reads it as one bare word; else in single quotes, a quote in it doubled.
    /// A job name may hold a space, a quote, a $ or a ; (only wildcards are refused), and inserted bare, it would
    /// split the argument, open a string, expand a variable or end the command. (Model names need none of this: an
    /// installed model's name is a portable file name.)
    /// </summary>
    public static string Of(string name) => BareWord().IsMatch(name) ? name : Quoted(name);

    /// <summary>The name in single quotes, a quote in it doubled: for a command a message tells the user to run.</summary>
    public static string Quoted(string name) => $"'{CodeGeneration.EscapeSingleQuotedStringContent(name)}'";

    // Letters and digits of any script, and - _ . inside: nothing PowerShell parses as an operator, a variable or a
    // parameter name (a leading -).
    [GeneratedRegex(@"^[\p{L}\p{N}_.][\p{L}\p{N}_.\-]*$")]
    private static partial Regex BareWord();
}
