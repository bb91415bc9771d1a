using Swin2SR.Core.Inference;

namespace Swin2SR.Core.Models;

/// <summary>
/// Turns what the user typed for -Model into a file: an existing .onnx path, the name of a model shipped with
/// the module (embedded), or the name of a model installed in the model store. With no model named, the
/// embedded default for the requested scale. A catalog name that is not installed gets an error saying how to
/// install it.
/// </summary>
public sealed class ModelLocator
{
    public const int DefaultScale = 4;

    private readonly string _embeddedDirectory;
    private readonly ModelStore? _store;
    private readonly string? _catalogPath;

    public ModelLocator(string embeddedDirectory, ModelStore? store = null, string? catalogPath = null)
    {
        _embeddedDirectory = embeddedDirectory;
        _store = store;
        _catalogPath = catalogPath;
    }

    public static string DefaultModelName(int scale) => $"swin2sr-tiny-x{scale}";

    public IReadOnlyList<string> EmbeddedNames() =>
        Directory.Exists(_embeddedDirectory)
            ? Directory.EnumerateFiles(_embeddedDirectory, "*.onnx").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];

    public IReadOnlyList<string> InstalledNames() => _store?.InstalledNames() ?? [];

    /// <summary>Every name -Model takes without a path: embedded and installed models.</summary>
    public IReadOnlyList<string> KnownNames() => EmbeddedNames().Union(InstalledNames()).Order(StringComparer.Ordinal).ToList();

    /// <summary>A value of -Model that names a file (it ends in .onnx or holds a folder separator), not a model name.</summary>
    public static bool IsPath(string nameOrPath) =>
        nameOrPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) || nameOrPath.Contains(Path.DirectorySeparatorChar) || nameOrPath.Contains(Path.AltDirectorySeparatorChar);

    /// <param name="nameOrPath">A model name, or a path (<see cref="IsPath"/>); a relative path is taken from the process's current folder, so a caller with a current folder of its own (PowerShell's location) resolves it first.</param>
    public string Resolve(string? nameOrPath, int? scale)
    {
        if (string.IsNullOrWhiteSpace(nameOrPath))
            nameOrPath = DefaultModelName(scale ?? DefaultScale);
        if (IsPath(nameOrPath))
        {
            string full = Path.GetFullPath(nameOrPath);
            if (Directory.Exists(full))
                throw new ModelLoadException(full, "it is a folder; give the path of a .onnx file in it, or a model name");
            return File.Exists(full) ? full : throw new ModelLoadException(full, "the file does not exist");
        }
        // In any case, as installed names and Get-Swin2SRModel -Name: on a case-sensitive file system the file's own
        // name was needed (Swin2SR-Tiny-X4 was no model on Linux, and was on Windows).
        if (EmbeddedNames().FirstOrDefault(n => string.Equals(n, nameOrPath, StringComparison.OrdinalIgnoreCase)) is { } embedded)
            return Path.Combine(_embeddedDirectory, embedded + ".onnx");
        // Installed names are lower case (portable file names); -Model takes them in any case.
        string storeName = nameOrPath.ToLowerInvariant();
        if (_store is not null && ModelCatalog.IsValidName(storeName) && _store.Find(storeName) is { } installed)
            return installed.Path;
        var catalogNames = CatalogNames();
        if (catalogNames.Contains(nameOrPath, StringComparer.OrdinalIgnoreCase))
            throw new ModelLoadException(nameOrPath, $"not installed: run Install-Swin2SRModel {nameOrPath}");
        var known = KnownNames();
        // A close catalog name is offered too, with how to install it: the known models listed do not hold it.
        string? didYouMean = ModelNameSuggestions.DidYouMean(ModelNameSuggestions.Closest(nameOrPath, known.Concat(catalogNames)),
            name => known.Contains(name, StringComparer.Ordinal) ? "" : $" (not installed: Install-Swin2SRModel {name})");
        string noneThere = $"no models are embedded in '{_embeddedDirectory}'{(_store is null ? "" : $" or installed in '{_store.Directory}'")}";
        throw new ModelLoadException(nameOrPath, (known.Count == 0, didYouMean) switch
        {
            (true, null) => $"no such model, and {noneThere}",
            (true, _) => $"no such model; {didYouMean} ({noneThere})",
            (false, null) => $"no such model; known models: {string.Join(", ", known)}",
            _ => $"no such model; {didYouMean} Known models: {string.Join(", ", known)}",
        });
    }

    // Only improves the message of a name that is not found: an unreadable catalog leaves the plain message.
    private IReadOnlyList<string> CatalogNames()
    {
        if (_catalogPath is null || !File.Exists(_catalogPath))
            return [];
        try
        {
            return CatalogLoader.Load(_catalogPath).Entries.Select(e => e.Name).ToList();
        }
        catch (ModelCatalogException)
        {
            return [];
        }
    }
}
