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

    /// <summary>How this platform's file system compares paths: ignoring case on Windows.</summary>
    public static StringComparer PathComparer => StringComparer.FromComparison(PathComparison);

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
    /// night, into enhanced/enhanced, each time 16 times larger. With an output folder, a file in an <c>enhanced</c>
    /// folder is set aside too when the listing holds its input beside that folder (the same name, any extension):
    /// the output of a run before -OutputDirectory was given (<see cref="ScreenedInputs.BesideTheirInputs"/>). A folder
    /// reached through a link or a bind mount is told by what it is, not only by its path (<see cref="FolderReach"/>).
    /// </summary>
    public static ScreenedInputs SetAsideEarlierOutputs(IEnumerable<string> inputPaths, string? outputDirectory, string? rejectedDirectory = null)
    {
        var all = inputPaths.ToList();
        var inputNames = outputDirectory is null ? null
            : all.Select(p => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(p))!, Path.GetFileNameWithoutExtension(p))).ToHashSet(PathComparer);
        // The output folder given through a link (or a bind mount) to a folder the listing reaches by its own path.
        var outputFolder = outputDirectory is null ? null : new FolderReach(outputDirectory);
        var rejectedFolder = rejectedDirectory is null ? null : new FolderReach(rejectedDirectory);
        var inputs = new List<string>();
        var earlierOutputs = new List<string>();
        var besideInputs = new List<string>();
        foreach (var input in all)
        {
            if (outputDirectory is null ? InEnhancedFolder(input) : IsUnder(input, outputDirectory) || outputFolder!.Holds(input))
                earlierOutputs.Add(input);
            else if (rejectedDirectory is not null && (IsUnder(input, rejectedDirectory) || rejectedFolder!.Holds(input)))
                earlierOutputs.Add(input);
            else if (inputNames is not null && InEnhancedFolder(input) && inputNames.Contains(InputBeside(input)))
                besideInputs.Add(input);
            else
                inputs.Add(input);
        }
        // Counted and named once each, like the inputs Plan keeps (a folder and the files in it name them twice).
        return new(inputs, Once(earlierOutputs), Once(besideInputs));
    }

    /// <param name="Inputs">What to upscale.</param>
    /// <param name="InOutputFolders">Files in the output folder (or, without one, in <c>enhanced</c> folders) or in the -KeepRejected folder.</param>
    /// <param name="BesideTheirInputs">With an output folder: files in <c>enhanced</c> folders whose inputs are in the listing too.</param>
    public sealed record ScreenedInputs(IReadOnlyList<string> Inputs, IReadOnlyList<string> InOutputFolders, IReadOnlyList<string> BesideTheirInputs);

    private static List<string> Once(IEnumerable<string> paths) => paths.DistinctBy(Path.GetFullPath, PathComparer).ToList();

    private static bool InEnhancedFolder(string path) => PathComparer.Equals(Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))), DefaultFolderName);

    /// <summary>Where the input of an output in an <c>enhanced</c> folder lies, without its extension: shop/enhanced/a.png is shop/a.</summary>
    private static string InputBeside(string output)
    {
        string enhanced = Path.GetDirectoryName(Path.GetFullPath(output))!;
        return Path.Combine(Path.GetDirectoryName(enhanced)!, Path.GetFileNameWithoutExtension(output));
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
