using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Swin2SR.Core.Models;

/// <summary>
/// The list of models that can be installed (models/catalog.json in the module, or a company mirror's copy),
/// parsed and checked as a whole: a catalog with one bad entry is refused with a message that names the entry
/// and the reason, rather than failing later in the middle of a download.
/// </summary>
public sealed partial class ModelCatalog
{
    public const int SchemaVersion = 1;

    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        // A misspelt field ("sha" for "sha256") would otherwise be ignored and silently weaken verification.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private ModelCatalog(string source, IReadOnlyList<CatalogEntry> entries)
    {
        Source = source;
        Entries = entries;
    }

    /// <summary>The path or URL the catalog was read from.</summary>
    public string Source { get; }

    public IReadOnlyList<CatalogEntry> Entries { get; }

    public CatalogEntry? Find(string name) =>
        Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Lower-case letters, digits, '.', '-' and '_', starting with a letter or digit: a portable file name.</summary>
    public static bool IsValidName(string name) => name.Length <= MaxNameLength && NamePattern().IsMatch(name);

    public const int MaxNameLength = 64;

    /// <summary>
    /// A valid name close to <paramref name="text"/> (a file's name that is none, to suggest in its place):
    /// lowercase, a dash for each run of other characters, at most <see cref="MaxNameLength"/> long.
    /// </summary>
    public static string NameLike(string text)
    {
        string name = NotInName().Replace(text.ToLowerInvariant(), "-").Trim('-', '.', '_');
        name = name[..Math.Min(name.Length, MaxNameLength)].TrimEnd('-', '.', '_');
        return name.Length > 0 ? name : "my-model";
    }

    internal static bool IsSha256(string text) => Sha256Pattern().IsMatch(text);

    internal static bool IsCommit(string text) => CommitPattern().IsMatch(text);

    public static ModelCatalog Parse(string json, string source)
    {
        CatalogDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<CatalogDocument>(json, s_json);
        }
        catch (JsonException e)
        {
            throw new ModelCatalogException(source, $"not a valid catalog: {e.Message}", e);
        }
        if (document is null)
            throw new ModelCatalogException(source, "the file is empty (null)");
        if (document.Schema != SchemaVersion)
            throw new ModelCatalogException(source, $"schema {document.Schema?.ToString() ?? "(missing)"} is not supported; this module reads schema {SchemaVersion}");
        if (document.Models is null)
            throw new ModelCatalogException(source, "it has no 'models' array");

        var entries = new List<CatalogEntry>(document.Models.Count);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < document.Models.Count; i++)
        {
            var entry = Validate(document.Models[i], i, source);
            if (!names.Add(entry.Name))
                throw new ModelCatalogException(source, $"model #{i + 1}: the name '{entry.Name}' is used twice");
            entries.Add(entry);
        }
        return new ModelCatalog(source, entries);
    }

    private static CatalogEntry Validate(EntryDocument? d, int index, string source)
    {
        string where = $"model #{index + 1}";
        ModelCatalogException Bad(string reason) => new(source, $"{where}: {reason}");

        if (d is null)
            throw Bad("the entry is null");
        if (string.IsNullOrWhiteSpace(d.Name))
            throw Bad("'name' is missing");
        where += $" ('{d.Name}')";
        if (!IsValidName(d.Name))
            throw Bad($"'name' must be at most {MaxNameLength} lower-case letters, digits, '.', '-' or '_', starting with a letter or digit");
        if (string.IsNullOrWhiteSpace(d.Url))
            throw Bad("'url' is missing");
        if (Address(d.Url, source) is not { } url)
            throw Bad($"'url' ({d.Url}) is not an http, https or file address, nor a path relative to the catalog");
        if (d.Scale is not (>= 1 and <= 16))
            throw Bad(d.Scale is null ? "'scale' is missing" : $"'scale' {d.Scale} is not between 1 and 16");
        if (d.Window is <= 0)
            throw Bad($"'window' {d.Window} is not a positive number");
        if (d.SizeBytes is <= 0)
            throw Bad($"'sizeBytes' {d.SizeBytes} is not a positive number");
        if (d.Sha256 is not null && !IsSha256(d.Sha256))
            throw Bad($"'sha256' ({d.Sha256}) is not 64 hexadecimal digits");
        bool pinned = d.Pinned ?? false;
        if (pinned && (d.Revision is null || !IsCommit(d.Revision)))
            throw Bad($"'pinned' is true but 'revision' ({d.Revision ?? "missing"}) is not a 40-digit commit");

        return new CatalogEntry
        {
            Name = d.Name,
            Url = url,
            Scale = d.Scale.Value,
            Window = d.Window ?? CatalogEntry.DefaultWindow,
            Repo = d.Repo,
            File = d.File,
            Revision = d.Revision,
            Pinned = pinned,
            SizeBytes = d.SizeBytes,
            Sha256 = d.Sha256?.ToLowerInvariant(),
            Precision = d.Precision,
            Task = d.Task,
            IntendedUse = d.IntendedUse,
        };
    }

    /// <summary>
    /// An entry's address: http(s), or a file (an absolute path, a file: address, or a path relative to the
    /// catalog's own location), so that a folder with a catalog and the model files installs without a network.
    /// </summary>
    private static Uri? Address(string url, string source)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var address))
        {
            var catalog = CatalogLoader.IsUrl(source) ? new Uri(source) : new Uri(System.IO.Path.GetFullPath(source));
            if (!Uri.TryCreate(catalog, url, out address))
                return null;
        }
        // A path's Uri keeps the path as its text, which the install record would read back as a relative Uri.
        return address.IsFile ? new Uri(address.AbsoluteUri)
            : address.Scheme == Uri.UriSchemeHttps || address.Scheme == Uri.UriSchemeHttp ? address
            : null;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("[^a-z0-9._-]+")]
    private static partial Regex NotInName();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Pattern();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitPattern();

    // The file as written: everything optional, so that a missing field gets a message of our own.
    private sealed record CatalogDocument(int? Schema, string? Description, List<EntryDocument?>? Models);

    private sealed record EntryDocument(
        string? Name, string? Repo, string? File, string? Revision, bool? Pinned, string? Url, long? SizeBytes,
        string? Sha256, int? Scale, int? Window, string? Precision, string? Task, string? IntendedUse);
}
