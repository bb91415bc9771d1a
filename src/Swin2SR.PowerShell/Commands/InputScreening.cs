using Swin2SR.Core.Imaging;
using Swin2SR.Core.Pipeline;

namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// What Invoke-Swin2SRUpscale settles about its inputs before anything runs, and says as warnings: outputs of
/// earlier runs are left out, and inputs that would share one output are named.
/// </summary>
internal static class InputScreening
{
    public static IReadOnlyList<string> LeaveOutEarlierOutputs(IReadOnlyList<string> inputs, string? outputDirectory, string? rejectedDirectory,
        Action<string> warn, Action<string> verbose)
    {
        var screened = OutputPlanner.SetAsideEarlierOutputs(inputs, outputDirectory, rejectedDirectory);
        var earlierOutputs = screened.InOutputFolders;
        foreach (var path in earlierOutputs)
            verbose($"Left out {path}: it is in an output folder.");
        if (earlierOutputs.Count > 0)
            warn($"Left out {earlierOutputs.Count} file(s) {WhereOutputsGo(outputDirectory, rejectedDirectory)}, such as {earlierOutputs[0]}: {Why(outputDirectory)}");
        var besideInputs = screened.BesideTheirInputs;
        foreach (var path in besideInputs)
            verbose($"Left out {path}: it is the output of an earlier run, beside its input.");
        if (besideInputs.Count > 0)
            warn($"Left out {besideInputs.Count} file(s) in '{OutputPlanner.DefaultFolderName}' folders whose inputs are given too, such as {besideInputs[0]}: " +
                 $"runs without -OutputDirectory write their outputs there, so these are outputs of earlier runs, not inputs. To upscale them, give them without their inputs.");
        return screened.Inputs;
    }

    private static string WhereOutputsGo(string? outputDirectory, string? rejectedDirectory) =>
        (outputDirectory is null ? $"in '{OutputPlanner.DefaultFolderName}' folders" : $"inside the output folder {outputDirectory}")
        + (rejectedDirectory is null ? "" : $" or the -KeepRejected folder {rejectedDirectory}");

    private static string Why(string? outputDirectory) => outputDirectory is null
        ? "outputs are written there when -OutputDirectory is not given, so these are outputs of earlier runs, not inputs. " +
          // With -OutputDirectory an enhanced file is still left out when its input is listed too (BesideTheirInputs).
          "To upscale them, give -OutputDirectory, in a run that does not also list their inputs."
        : "files there are taken for outputs of earlier runs (or would be replaced by their own outputs), not inputs. " +
          "To upscale them, give an -OutputDirectory outside the folders you upscale.";

    /// <summary>How many shared outputs are named in warnings of their own; -Verbose names the rest, which one warning counts.</summary>
    private const int NamedSharedOutputs = 5;

    public static IReadOnlyList<UpscaleItem> Plan(IReadOnlyList<string> inputs, string? outputDirectory, string format, Action<string> warn, Action<string> verbose)
    {
        var requested = Enum.Parse<OutputFormat>(format, ignoreCase: true);
        var items = OutputPlanner.Plan(inputs, outputDirectory, requested);
        // With -Format Same names meet only where a file written as PNG though not named .png sits beside a PNG of its name.
        string remedy = requested == OutputFormat.Same
            ? "Rename one of them (a GIF is written as PNG, and so is a file named without an image's extension, SKU-10422 or photo.jpg_large, " +
              "so it shares its output with a PNG of the same name)."
            : "Use -Format Same (each output keeps its input's extension), or rename them.";
        var shared = OutputPlanner.SharedOutputs(items).ToList();
        foreach (var (group, i) in shared.Select((group, i) => (group, i)))
        {
            string message = $"{string.Join(" and ", group.Select(item => item.InputPath))} would be written to the same file, {group.Key}";
            // A folder of products exported both as .jpg and as .png, made PNG, shares thousands: a warning each buried the rest of the run's.
            if (i < NamedSharedOutputs)
                warn($"{message}: only one can be written: the others fail with OutputCollision (or, once it exists, are skipped as OutputExists). {remedy}");
            else
                verbose($"{message}.");
        }
        if (shared.Count > NamedSharedOutputs)
            warn($"{shared.Count - NamedSharedOutputs} more outputs would each be written for more than one input (-Verbose names them): " +
                 $"only one input of each is upscaled, the others fail with OutputCollision. {remedy}");
        return items;
    }
}
