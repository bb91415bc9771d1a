using System.Collections.ObjectModel;

namespace Swin2SR.PowerShell;

/// <summary>
/// The lines of a result property that holds several (Warnings, Workers, Providers). A list, so that PowerShell
/// enumerates, indexes, counts and serializes it (ConvertTo-Json, Export-Clixml) as it did the string array; its text
/// is the lines joined with "; ", because Export-Csv and ConvertTo-Csv write a property's ToString(), which for an
/// array was the type name (System.String[]).
/// </summary>
public sealed class Swin2SRTextList : ReadOnlyCollection<string>
{
    public static new Swin2SRTextList Empty { get; } = new([]);

    public Swin2SRTextList(IEnumerable<string> lines)
        : base(lines.ToArray())
    {
    }

    /// <summary>
    /// As on the array it replaces: without it PowerShell would take $list.Length as the lengths of the lines
    /// (member access on a collection reaches its elements).
    /// </summary>
    public int Length => Count;

    /// <summary>An input's warnings, each naming the input: read in the warning stream, or gathered from many results, each says which file.</summary>
    public static Swin2SRTextList OfInput(string inputPath, IReadOnlyList<string>? warnings) =>
        warnings is { Count: > 0 } ? new(warnings.Select(w => $"{inputPath}: {w}")) : Empty;

    public static implicit operator Swin2SRTextList(string[] lines) => new(lines);

    public override string ToString() => string.Join("; ", this);
}
