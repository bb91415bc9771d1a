namespace Swin2SR.Core.Jobs;

/// <summary>
/// Maps the paths a job's items were recorded with to where this host sees the same files, for workers on
/// several machines that mount shared storage in different places (<c>\\nas\share=/mnt/share</c>). Items keep
/// the path as given; a worker maps input and output paths with its own map before touching files. The longest
/// matching prefix wins; a prefix matches whole folder names only, with either kind of slash, and ignoring case
/// when it is a Windows path; the rest of the path takes the separator of the replacement.
/// </summary>
public sealed class PathMap
{
    /// <summary>The per-host setting: pairs separated by ';', e.g. <c>\\nas\share=/mnt/share;D:\jobs=/srv/jobs</c>.</summary>
    public const string EnvironmentVariable = "SWIN2SR_PATHMAP";

    public static readonly PathMap None = new([]);

    private readonly IReadOnlyList<(string From, string To)> _pairs;

    private PathMap(IEnumerable<(string From, string To)> pairs) =>
        _pairs = pairs.OrderByDescending(p => p.From.Length).ToList();

    public bool IsEmpty => _pairs.Count == 0;

    /// <summary>The pairs as the setting writes them, in a fixed order: maps of the same pairs read the same.</summary>
    public override string ToString() =>
        string.Join(';', _pairs.OrderBy(p => p.From, StringComparer.Ordinal).ThenBy(p => p.To, StringComparer.Ordinal).Select(p => $"{p.From}={p.To}"));

    /// <summary>Reads <c>from=to</c> pairs (split at the first '=').</summary>
    /// <exception cref="ArgumentException">A pair without '=' or with an empty side, naming the pair.</exception>
    public static PathMap Parse(IEnumerable<string> pairs) => new(pairs.Select(ParsePair));

    /// <summary>The map given as a parameter, else the host's <see cref="EnvironmentVariable"/>, else none.</summary>
    public static PathMap Resolve(IReadOnlyCollection<string>? pairs)
    {
        if (pairs is { Count: > 0 })
            return Parse(pairs);
        string? setting = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(setting) ? None : Parse(setting.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static (string From, string To) ParsePair(string pair)
    {
        int equals = pair.IndexOf('=');
        string from = equals > 0 ? TrimSeparators(pair[..equals].Trim()) : "";
        string to = equals > 0 ? TrimSeparators(pair[(equals + 1)..].Trim()) : "";
        if (from.Length == 0 || to.Length == 0)
            throw new ArgumentException($"The path mapping '{pair}' is not of the form 'from=to' (for example '\\\\nas\\share=/mnt/share').");
        return (from, to);
    }

    // A trailing separator says nothing, except in a root ('/') which is nothing but one.
    private static string TrimSeparators(string path)
    {
        string trimmed = path.TrimEnd('/', '\\');
        return trimmed.Length > 0 ? trimmed : path[..Math.Min(1, path.Length)];
    }

    public string Map(string path)
    {
        foreach (var (from, to) in _pairs)
        {
            if (!StartsWithFolder(path, from))
                continue;
            char separator = to.Contains('\\') && !to.Contains('/') ? '\\' : to.Contains('/') ? '/' : Path.DirectorySeparatorChar;
            string rest = path[from.Length..].TrimStart('/', '\\').Replace('\\', separator).Replace('/', separator);
            return rest.Length == 0 ? to : to.EndsWith(separator) ? to + rest : to + separator + rest;
        }
        return path;
    }

    private static bool StartsWithFolder(string path, string prefix)
    {
        if (path.Length < prefix.Length)
            return false;
        // A drive letter or a backslash says Windows: case does not matter there.
        bool windows = prefix.Contains('\\') || (prefix.Length >= 2 && prefix[1] == ':');
        for (int i = 0; i < prefix.Length; i++)
        {
            char a = path[i], b = prefix[i];
            bool same = a == b || (IsSeparator(a) && IsSeparator(b)) || (windows && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
            if (!same)
                return false;
        }
        return path.Length == prefix.Length || IsSeparator(path[prefix.Length]) || IsSeparator(prefix[^1]);
    }

    private static bool IsSeparator(char c) => c is '/' or '\\';
}
