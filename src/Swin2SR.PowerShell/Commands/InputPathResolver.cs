using System.Management.Automation;

namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// Turns -Path (wildcards) and -LiteralPath values into file-system paths, the way built-in cmdlets do. A folder
/// stands for the supported images directly inside it (<see cref="Swin2SR.Core.Imaging.InputExtensions"/>). Problems are error records for the caller to write.
/// </summary>
internal static class InputPathResolver
{
    /// <summary>Resolves each value of -Path (or -LiteralPath) and writes the errors; yields the files.</summary>
    /// <param name="failed">Told of each error written.</param>
    public static IEnumerable<string> ResolveAll(PSCmdlet cmdlet, IEnumerable<string> paths, bool literal, Action? failed = null)
    {
        foreach (var path in paths)
        {
            foreach (var (resolved, error) in Resolve(cmdlet, path, literal))
            {
                if (error is not null)
                {
                    failed?.Invoke();
                    cmdlet.WriteError(error);
                }
                else
                    yield return resolved!;
            }
        }
    }

    /// <summary>
    /// The warning for a command that no input reached, though no path failed: a folder of subfolders, or a listing
    /// that matched nothing, would otherwise end without a word (or, measured, blame the file names).
    /// </summary>
    /// <param name="outcome">What was not done: "nothing was upscaled".</param>
    public static string NoInputWarning(string command, string outcome) =>
        $"No input reached {command} (an empty folder: a folder stands for the images directly inside it, not in its " +
        "subfolders, which Get-ChildItem -Recurse -File lists; or a listing that matched nothing: Get-ChildItem -Include " +
        $"filters only with -Recurse or a wildcard in the path), so {outcome}.";

    /// <param name="referenceFolder">
    /// The folder is Measure-Swin2SRQuality's -Reference, whose images are paired by name: an image misnamed there can
    /// only be included by renaming it, not by giving it by name.
    /// </param>
    public static IEnumerable<(string? Path, ErrorRecord? Error)> Resolve(PSCmdlet cmdlet, string path, bool literal, bool referenceFolder = false)
    {
        List<string> resolved = [];
        ErrorRecord? error = null;
        try
        {
            if (literal)
            {
                string full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
                if (!FileSystemPath.IsFileSystem(provider))
                    error = FileSystemPath.NotFileSystem(path);
                else if (!File.Exists(full) && !Directory.Exists(full))
                    error = TooLong(path, full) ?? NotFound(path, new ItemNotFoundException($"Cannot find path '{full}' because it does not exist."));
                else
                    resolved.Add(full);
            }
            else
            {
                var paths = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out var provider);
                if (!FileSystemPath.IsFileSystem(provider))
                    error = FileSystemPath.NotFileSystem(path);
                else if (paths.Count == 0)
                    error = NotFound(path, new ItemNotFoundException(NothingMatches(cmdlet, path)));
                else
                {
                    resolved.AddRange(paths);
                    if (LiteralMissed(cmdlet, path, paths) is { } missed)
                        cmdlet.WriteWarning($"'{missed}' is left out: -Path takes the brackets in its name as wildcards, and '{path}' matched " +
                            $"{Names(paths, 3)} instead. Use -LiteralPath for a file named with brackets.");
                }
            }
        }
        catch (ItemNotFoundException e)
        {
            error = TooLong(path, cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path)) ?? NotFound(path, e);
        }
        if (error is not null)
        {
            yield return (null, error);
            yield break;
        }
        foreach (var full in resolved)
        {
            if (Directory.Exists(full))
            {
                // As Get-ChildItem lists it without -Force: no hidden or system files, such as the AppleDouble
                // ._photo.jpg a Mac leaves on a share beside each photo, which is no image and would fail every run.
                var listed = Directory.EnumerateFiles(full, "*", new EnumerationOptions { AttributesToSkip = FileAttributes.Hidden | FileAttributes.System });
                var files = listed.ToLookup(f => Swin2SR.Core.Imaging.InputExtensions.All.Contains(System.IO.Path.GetExtension(f)));
                if (Swin2SR.Core.Imaging.UnreadImageFiles.Describe(files[false]) is { } leftOut)
                    cmdlet.WriteWarning($"'{full}' also holds images of kinds this module cannot read, left out: {leftOut} (it reads PNG, JPEG, WebP, BMP, TIFF and GIF; convert them to one of those first).");
                if (Swin2SR.Core.Imaging.MisnamedImageFiles.Find(files[false]) is { Count: > 0 } misnamed)
                    cmdlet.WriteWarning(MisnamedWarning(full, misnamed, referenceFolder));
                foreach (var file in files[true].Order(StringComparer.Ordinal))
                    yield return (file, null);
            }
            else
            {
                yield return (full, null);
            }
        }
    }

    /// <summary>How many images the folder holds under names that are not an image's, the first few named, and how to include them.</summary>
    private static string MisnamedWarning(string folder, IReadOnlyList<string> misnamed, bool referenceFolder) =>
        $"'{folder}' also holds {misnamed.Count} image(s) whose names do not end in an image's extension, left out: {Names(misnamed, 5)}. " +
            (referenceFolder
                ? "A reference folder pairs images by name with the files in it named as images: rename them with their image's " +
                    "extension (SKU-10422 to SKU-10422.jpg, photo.jpg_large to photo.jpg) to compare images with them."
                : "A folder stands for the files named as images: rename them (photo.jpg_large to photo.jpg), or give them by name " +
                    "(Get-ChildItem -File piped in, or -LiteralPath) to include them.");

    /// <summary>
    /// A pattern that matches nothing is an error, not silence: a scheduled run with a mistyped pattern would
    /// otherwise do nothing and report success. Brackets are wildcards to -Path; a file named with them is found
    /// with -LiteralPath.
    /// </summary>
    private static string NothingMatches(PSCmdlet cmdlet, string path)
    {
        string message = $"No file matches '{path}'.";
        bool existsLiterally = path.IndexOfAny(['[', ']']) >= 0
            && cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path) is var literal && (File.Exists(literal) || Directory.Exists(literal));
        return existsLiterally ? $"{message} The brackets in it are wildcards: use -LiteralPath for a file named with them." : message;
    }

    /// <summary>
    /// The file named by <paramref name="path"/> as written, when its brackets made it a pattern that matched other files
    /// and not it (shirt[1].jpg matches shirt1.jpg): the run would upscale those and leave it out unsaid.
    /// </summary>
    private static string? LiteralMissed(PSCmdlet cmdlet, string path, IReadOnlyCollection<string> matched)
    {
        if (path.IndexOfAny(['[', ']']) < 0)
            return null;
        string literal = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        return (File.Exists(literal) || Directory.Exists(literal)) && !matched.Contains(literal, StringComparer.Ordinal) ? literal : null;
    }

    /// <summary>The first <paramref name="named"/> files' names, quoted, and how many more.</summary>
    private static string Names(IReadOnlyCollection<string> files, int named) =>
        string.Join(", ", files.Take(named).Select(f => $"'{System.IO.Path.GetFileName(f)}'")) + (files.Count > named ? $" and {files.Count - named} more" : "");

    /// <summary>
    /// A path longer than the platform takes (PATH_MAX, 4096 bytes on Linux) names no file that can be opened, even
    /// one that is there, deep in a copied tree: saying that it does not exist would send the user looking for it.
    /// </summary>
    private static ErrorRecord? TooLong(string path, string full) =>
        Swin2SR.Core.Imaging.PathLimits.FindInputExcess(full) is { } reason
            ? new(new PathTooLongException($"{full}: {reason}."), "InputPathTooLong", ErrorCategory.InvalidArgument, path)
            : null;

    private static ErrorRecord NotFound(string path, Exception e) =>
        new(e, "PathNotFound", ErrorCategory.ObjectNotFound, path);
}
