namespace Swin2SR.Core.Models;

/// <summary>
/// The model names close to one that was not found, for the error to offer: a typo (clasical-x4) or a short form
/// (tiny-x4) of a real name otherwise left the user to read a list that did not even hold the catalog's names.
/// </summary>
public static class ModelNameSuggestions
{
    private const int MaxSuggestions = 3;

    /// <summary>
    /// The names of <paramref name="names"/> that hold <paramref name="typed"/> (or it them), or are a few edits from
    /// it (about one in four characters, at least two): those closest of all, at most three. Only the closest, as
    /// clasical-x4 is one edit from classical-x4 and two from classical-x2. Case is ignored.
    /// </summary>
    public static IReadOnlyList<string> Closest(string typed, IEnumerable<string> names)
    {
        string wanted = typed.ToLowerInvariant();
        int allowed = Math.Max(2, wanted.Length / 4);
        var close = names
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(name => (name, distance: Distance(wanted, name.ToLowerInvariant())))
            .Where(c => c.distance <= allowed)
            .ToList();
        if (close.Count == 0)
            return [];
        int closest = close.Min(c => c.distance);
        return close.Where(c => c.distance == closest).Select(c => c.name).Order(StringComparer.Ordinal).Take(MaxSuggestions).ToList();
    }

    /// <summary>"did you mean 'a' or 'b' (note)?" with <paramref name="note"/>'s word on each name (empty for none); null when nothing is close.</summary>
    public static string? DidYouMean(IReadOnlyList<string> suggestions, Func<string, string>? note = null) =>
        suggestions.Count == 0 ? null : $"did you mean {string.Join(" or ", suggestions.Select(s => $"'{s}'{note?.Invoke(s)}"))}?";

    // A name that holds the other whole (tiny-x4 in swin2sr-tiny-x4) counts as one edit: the rest is a prefix or suffix
    // the user left out, not a typo. Not for a fragment too short to tell names apart ("x4" is in half of them).
    private const int MinContainedLength = 4;

    private static int Distance(string a, string b)
    {
        if (a == b)
            return 0;
        if (Math.Min(a.Length, b.Length) >= MinContainedLength && (a.Contains(b, StringComparison.Ordinal) || b.Contains(a, StringComparison.Ordinal)))
            return 1;
        return Levenshtein(a, b);
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
