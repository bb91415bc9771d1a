using System.Management.Automation;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Models;

namespace Swin2SR.PowerShell.Commands;

/// <summary>Finds the model a run loads (by name or path), and says why when it cannot be found, changed since it was installed, or does not load.</summary>
internal static class ModelLookup
{
    private static ModelLocator Locator => ModelManager.CreateLocator();

    public static IReadOnlyList<string> Names() => Locator.KnownNames();

    public static string Resolve(string? model, int? scale)
    {
        try
        {
            return Locator.Resolve(model, scale);
        }
        catch (ModelLoadException e)
        {
            throw new SetupFailedException(NotFound(e, model));
        }
    }

    public static ErrorRecord NotFound(Exception e, string? model) => ErrorRecords.WithAction(e, "ModelNotFound", ErrorCategory.ObjectNotFound, model,
        "Get-Swin2SRModel lists the models by name and Install-Swin2SRModel installs one; -Model also takes the path of an .onnx file.");

    /// <summary>Not terminating, as <see cref="JobStoreErrorRecords.JobNotFound"/>: a command given several jobs goes on with the others.</summary>
    public static SetupFailedException JobModelMissing(string jobName, string modelPath) => new(ErrorRecords.WithAction(
        new FileNotFoundException($"Job '{jobName}' was started with the model '{modelPath}', which does not exist.", modelPath),
        "ModelNotFound", ErrorCategory.ObjectNotFound, modelPath,
        "Put the model back at that path (Install-Swin2SRModel for a catalog model), give -PathMap when this computer sees its folder " +
        $"elsewhere, or run Invoke-Swin2SRUpscale -JobName '{jobName}' again with a model that exists (which redoes the job's images with it)."),
        terminating: false);

    /// <summary>
    /// An installed model whose file was copied over or damaged after it was verified is not that model, whatever
    /// it computes: Invoke and Resume (which runs the path its job recorded) refuse it alike.
    /// </summary>
    public static void RequireUnchangedSinceInstall(string modelPath)
    {
        if (ModelStore.TryDefault()?.ChangeSinceInstallAt(modelPath) is not { } change)
            return;
        string name = Path.GetFileNameWithoutExtension(modelPath);
        throw new SetupFailedException(ErrorRecords.WithAction(
            new InvalidDataException($"Model '{modelPath}' changed after Install-Swin2SRModel installed it: {change}."),
            "ModelChanged", ErrorCategory.InvalidData, modelPath,
            $"Run Install-Swin2SRModel {name} to install it again (its job's images wait as they are), or give a model under another name to -Model."));
    }

    /// <summary>The model cannot work: as it loads, or at its first tile (a wrong "scale" in its metadata).</summary>
    public static SetupFailedException LoadFailed(ModelLoadException e, string modelPath) =>
        new(ErrorRecords.WithAction(e, "ModelLoadFailed", ErrorCategory.InvalidData, modelPath,
            e.Recommendation ?? "Give a whole ONNX export of a Swin2SR-style model: input [batch, 3, height, width], output [batch, 3, scale*height, scale*width]."));
}
