using Swin2SR.Core.Imaging;

namespace Swin2SR.Core.Pipeline;

/// <summary>
/// Decides every output path up front. With an output folder, the inputs' folder structure below their common
/// root is mirrored into it; without one, each output goes to an <c>enhanced</c> folder beside its input.
/// Duplicate inputs collapse to one item.
/// </summary>
public static class OutputPlanner
{
    public const string DefaultFolderName = "enhanced";

    private static StringComparison PathComparison => OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private static StringComparer PathComparer => StringComparer.FromComparison(PathComparison);

    /// <param name="root">The folder mirrored into <paramref name="outputDirectory"/>; by default the inputs' common folder.</param>
    public static IReadOnlyList<UpscaleItem> Plan(IEnumerable<string> inputPaths, string? outputDirectory, OutputFormat format, string? root = null)
    {
        var inputs = inputPaths.Select(Path.GetFullPath).Distinct(PathComparer).ToList();
        root ??= outputDirectory is null ? null : CommonDirectory(inputs);
        var items = new List<UpscaleItem>(inputs.Count);
        foreach (var input in inputs)
        {
            string formatName = OutputFormats.Resolve(format, input);
            string name = Path.GetFileNameWithoutExtension(input) + OutputFormats.Extension(formatName, input);
            string folder = outputDirectory is null
                ? Path.Combine(Path.GetDirectoryName(input)!, DefaultFolderName)
                : Path.Combine(Path.GetFullPath(outputDirectory), Path.GetRelativePath(root!, Path.GetDirectoryName(input)!));
            items.Add(new UpscaleItem(input, Path.GetFullPath(Path.Combine(folder, name)), formatName));
        }
        return items;
    }

    /// <summary>
    /// Separates the inputs that are outputs of earlier runs: files inside <paramref name="outputDirectory"/>, or,
    /// without one, files in an <c>enhanced</c> folder; and files inside <paramref name="rejectedDirectory"/>
    /// (-KeepRejected). A recursive listing of a folder that holds its own outputs (the nightly
    /// <c>Get-ChildItem -Recurse | Invoke-Swin2SRUpscale</c>) would otherwise upscale every output again the next
    /// night, into enhanced/enhanced, each time 16 times larger.
    /// </summary>
    public static (IReadOnlyList<string> Inputs, IReadOnlyList<string> EarlierOutputs) SetAsideEarlierOutputs(
        IEnumerable<string> inputPaths, string? outputDirectory, string? rejectedDirectory = null)
    {
        bool IsEarlierOutput(string input) =>
            (outputDirectory is null
                ? PathComparer.Equals(Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(input))), DefaultFolderName)
                : IsUnder(input, outputDirectory))
            || (rejectedDirectory is not null && IsUnder(input, rejectedDirectory));
        var inputs = new List<string>();
        var earlierOutputs = new List<string>();
        foreach (var input in inputPaths)
            (IsEarlierOutput(input) ? earlierOutputs : inputs).Add(input);
        // Counted and named once each, like the inputs Plan keeps (a folder and the files in it name them twice).
        return (inputs, earlierOutputs.DistinctBy(Path.GetFullPath, PathComparer).ToList());
    }

    /// <summary>True when <paramref name="path"/> lies inside <paramref name="folder"/> (at any depth).</summary>
    public static bool IsUnder(string path, string folder)
    {
        string full = Path.GetFullPath(folder);
        string prefix = Path.EndsInDirectorySeparator(full) ? full : full + Path.DirectorySeparatorChar;
        return Path.GetFullPath(path).StartsWith(prefix, PathComparison);
    }

    /// <summary>Outputs that more than one input would be written to (photo.jpg and photo.png, both as PNG).</summary>
    public static IEnumerable<IGrouping<string, UpscaleItem>> SharedOutputs(IEnumerable<UpscaleItem> items) =>
        items.GroupBy(item => item.OutputPath, PathComparer).Where(group => group.Skip(1).Any());

    /// <summary>The deepest folder that contains every input.</summary>
    public static string CommonDirectory(IReadOnlyList<string> fullPaths)
    {
        if (fullPaths.Count == 0)
            return Directory.GetCurrentDirectory();
        var separators = new[] { Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar };
        string[] common = Path.GetDirectoryName(fullPaths[0])!.Split(separators);
        int length = common.Length;
        var comparer = PathComparer;
        foreach (var path in fullPaths.Skip(1))
        {
            string[] parts = Path.GetDirectoryName(path)!.Split(separators);
            int i = 0;
            while (i < length && i < parts.Length && comparer.Equals(common[i], parts[i]))
                i++;
            length = i;
        }
        string joined = string.Join(Path.DirectorySeparatorChar, common, 0, length);
        // Paths on different Windows drives share nothing; a root like "/" or "C:" needs its separator back.
        return joined.Length == 0 || joined.EndsWith(':') ? joined + Path.DirectorySeparatorChar : joined;
    }
}
