using Swin2SR.Core.Inference;

namespace Swin2SR.Core.Models;

/// <summary>
/// Turns what the user typed for -Model into a file: an existing .onnx path, or the name of a model shipped
/// with the module (embedded). With no model named, the embedded default for the requested scale.
/// </summary>
public sealed class ModelLocator
{
    public const int DefaultScale = 4;

    private readonly string _embeddedDirectory;

    public ModelLocator(string embeddedDirectory) => _embeddedDirectory = embeddedDirectory;

    public static string DefaultModelName(int scale) => $"swin2sr-tiny-x{scale}";

    public IReadOnlyList<string> EmbeddedNames() =>
        Directory.Exists(_embeddedDirectory)
            ? Directory.EnumerateFiles(_embeddedDirectory, "*.onnx").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];

    public string Resolve(string? nameOrPath, int? scale)
    {
        if (string.IsNullOrWhiteSpace(nameOrPath))
            nameOrPath = DefaultModelName(scale ?? DefaultScale);
        if (nameOrPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) || nameOrPath.Contains(Path.DirectorySeparatorChar) || nameOrPath.Contains(Path.AltDirectorySeparatorChar))
        {
            string full = Path.GetFullPath(nameOrPath);
            return File.Exists(full) ? full : throw new ModelLoadException(full, "the file does not exist");
        }
        string embedded = Path.Combine(_embeddedDirectory, nameOrPath + ".onnx");
        if (File.Exists(embedded))
            return embedded;
        var known = EmbeddedNames();
        throw new ModelLoadException(nameOrPath,
            known.Count == 0 ? $"no such model, and no models are installed in '{_embeddedDirectory}'" : $"no such model; known models: {string.Join(", ", known)}");
    }
}
