namespace Swin2SR.Core.Models;

/// <summary>
/// A model file in the model store. <see cref="Entry"/> is the catalog entry it was installed from, with the
/// revision and SHA-256 that were actually verified; it is null for a file someone copied into the folder.
/// </summary>
/// <param name="Scale">The catalog entry's scale, else the one the model's metadata states; null when neither says.</param>
public sealed record InstalledModel(string Name, string Path, long SizeBytes, CatalogEntry? Entry, DateTimeOffset? InstalledAt, int? Scale);
