using System.Management.Automation;
using Swin2SR.Core.Imaging;

namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// Tries each output folder of a run before anything is computed (<see cref="OutputFolderProbe"/>): a folder that
/// cannot be written is one error naming it, and its images are not run, instead of each image failing alike after
/// it was decoded and upscaled (thousands of identical errors, and the compute spent for nothing).
/// </summary>
internal static class OutputFolderCheck
{
    public const string ErrorId = "OutputFolderNotWritable";

    /// <summary>
    /// One refusal for each folder that refused, with how many of these outputs it stops and the output folders
    /// they go to (the refusing folder itself, or folders to be created in it).
    /// </summary>
    public static IReadOnlyList<RefusedOutputs> Refusals(IEnumerable<string> outputPaths)
    {
        var comparer = OperatingSystem.IsLinux() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
        var byFolder = outputPaths.GroupBy(OutputFolder, comparer);
        // Folders that do not exist yet are tried where they would be created: several of them, one error.
        return [.. byFolder.Select(folder => (Refusal: OutputFolderProbe.Try(folder.Key), Folder: folder.Key, Outputs: folder.Count()))
            .Where(f => f.Refusal is not null)
            .GroupBy(f => f.Refusal!.Folder, comparer)
            .Select(g => new RefusedOutputs(g.First().Refusal!, g.Sum(f => f.Outputs), g.Select(f => f.Folder).ToHashSet(comparer)))];
    }

    public static string OutputFolder(string outputPath) => Path.GetDirectoryName(outputPath) ?? outputPath;

    /// <param name="consequence">What became of the images the folder stops ("not upscaled by this run").</param>
    /// <param name="action">What to do once the folder is writable (run the command again, or resume the job).</param>
    public static ErrorRecord Record(OutputFolderRefusal refusal, int outputs, string consequence, string action)
    {
        string message = $"Outputs cannot be written in the folder '{refusal.Folder}': {Reason(refusal.Reason)}. " +
            $"{outputs} {(outputs == 1 ? "image was" : "images were")} to be written there (or in folders to be created in it): {consequence}. Nothing was written.";
        Exception e = refusal.PermissionDenied ? new UnauthorizedAccessException(message, refusal.Reason) : new IOException(message, refusal.Reason);
        string fix = refusal.PermissionDenied
            ? "Give this user write permission on the folder (or choose another -OutputDirectory)"
            : "Make the folder writable (remount its disk read-write, or check the disk or share that went read-only), or choose another -OutputDirectory";
        return ErrorRecords.WithAction(e, ErrorId, refusal.PermissionDenied ? ErrorCategory.PermissionDenied : ErrorCategory.WriteError, refusal.Folder,
            $"{fix}, then {action}.");
    }

    // The system's message names the hidden file that was tried, which the user never asked for: said in words instead.
    private static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        IOException { HResult: 30 } => "its disk is mounted read-only",
        _ => e.Message,
    };
}

/// <param name="OutputFolders">The folders the outputs go to, which <see cref="Refusal"/> keeps from being written or created.</param>
internal sealed record RefusedOutputs(OutputFolderRefusal Refusal, int Outputs, IReadOnlySet<string> OutputFolders);
