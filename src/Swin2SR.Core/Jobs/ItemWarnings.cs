using System.Text.Json;

namespace Swin2SR.Core.Jobs;

/// <summary>
/// A succeeded item's warnings (a TIFF's pages left out, a GIF cut to its first frame) as both stores keep them: a JSON
/// array of strings in one text column, null for none. Bounded, because a row is read with every listing of the job:
/// a warning is a sentence, so a longer one is cut, and past <see cref="MaxWarnings"/> the rest are counted, not kept.
/// </summary>
public static class ItemWarnings
{
    public const int MaxWarnings = 8;
    public const int MaxLength = 500;

    /// <summary>The warnings as stored: null for none, else at most <see cref="MaxWarnings"/> lines of at most <see cref="MaxLength"/> characters.</summary>
    public static string? ToStored(IReadOnlyList<string>? warnings)
    {
        if (warnings is not { Count: > 0 })
            return null;
        var kept = warnings.Take(MaxWarnings).Select(Cut).ToList();
        if (warnings.Count > MaxWarnings)
            kept[^1] = $"... and {warnings.Count - MaxWarnings + 1} more warnings, left out of the job store";
        return JsonSerializer.Serialize(kept);
    }

    /// <summary>The warnings a store holds: none for null (an item without any, or journaled before the stores kept them).</summary>
    public static IReadOnlyList<string> FromStored(string? stored) =>
        stored is null ? [] : JsonSerializer.Deserialize<string[]>(stored) ?? [];

    private static string Cut(string warning) => warning.Length <= MaxLength ? warning : string.Concat(warning.AsSpan(0, MaxLength - 3), "...");
}
