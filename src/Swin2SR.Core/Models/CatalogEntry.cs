namespace Swin2SR.Core.Models;

/// <summary>
/// One downloadable model of a catalog: where the file is, what it does, and how to recognise the right bytes.
/// <see cref="Sha256"/> and <see cref="SizeBytes"/> are null where the catalog does not know them; the installer
/// then takes the digest the server publishes for that file and refuses the file if it does not match.
/// </summary>
public sealed record CatalogEntry
{
    public const int DefaultWindow = 8;

    /// <summary>The short name typed after -Name and -Model; lower case, safe as a file name.</summary>
    public required string Name { get; init; }

    /// <summary>The download address, pinned to a revision where <see cref="Pinned"/> is true.</summary>
    public required Uri Url { get; init; }

    public required int Scale { get; init; }

    public int Window { get; init; } = DefaultWindow;

    /// <summary>The Hugging Face repository (owner/name), where the model comes from the hub.</summary>
    public string? Repo { get; init; }

    /// <summary>The file's path inside <see cref="Repo"/>.</summary>
    public string? File { get; init; }

    /// <summary>A commit (40 hex digits) or a branch name such as main.</summary>
    public string? Revision { get; init; }

    /// <summary>True when <see cref="Revision"/> is an immutable commit, so the URL always names the same file.</summary>
    public bool Pinned { get; init; }

    public long? SizeBytes { get; init; }

    /// <summary>Lower-case hexadecimal SHA-256 of the file, or null when the catalog does not record it.</summary>
    public string? Sha256 { get; init; }

    /// <summary>fp32 or fp16.</summary>
    public string? Precision { get; init; }

    public string? Task { get; init; }

    public string? IntendedUse { get; init; }
}
