namespace Swin2SR.Core.Models;

/// <summary>
/// A model file in the model store. <see cref="Entry"/> is the catalog entry it was installed from, with the
/// revision and SHA-256 that were actually verified; it is null for a file someone copied into the folder.
/// </summary>
/// <param name="Scale">The catalog entry's scale, else the one the model's metadata states; null when neither says.</param>
public sealed record InstalledModel(string Name, string Path, long SizeBytes, CatalogEntry? Entry, DateTimeOffset? InstalledAt, int? Scale)
{
    /// <summary>The files beside the model that hold its weights (ONNX external data), as installed, else as its graph names them; none for most models.</summary>
    public IReadOnlyList<string> DataFiles { get; init; } = [];

    // A record compares a list by reference: two descriptions of the same installation are equal by its files' paths.
    public bool Equals(InstalledModel? other) =>
        other is not null && (Name, Path, SizeBytes, Entry, InstalledAt, Scale) == (other.Name, other.Path, other.SizeBytes, other.Entry, other.InstalledAt, other.Scale)
        && DataFiles.SequenceEqual(other.DataFiles);

    public override int GetHashCode() => HashCode.Combine(Name, Path, SizeBytes, Entry, InstalledAt, Scale);
}

/// <summary>A weights file downloaded for a model and checked against its graph, waiting at <paramref name="VerifiedPath"/> to be moved into place.</summary>
internal sealed record VerifiedDataFile(string Location, string VerifiedPath, long SizeBytes, string Sha256);
