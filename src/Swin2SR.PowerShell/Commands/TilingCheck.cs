using System.Management.Automation;
using Swin2SR.Core.Pipeline;

namespace Swin2SR.PowerShell.Commands;

/// <summary>-TileSize and -TileOverlap against the model's window: one that cannot fit is a setup error.</summary>
internal static class TilingCheck
{
    /// <summary>
    /// Refuses a -TileSize or -TileOverlap that does not fit the window the model file states, before anything else
    /// (the -WhatIf and -Confirm questions included): a run finds it only once it has loaded the model.
    /// </summary>
    public static void Check(string modelPath, string? outputDirectory, UpscaleSettings settings)
    {
        try
        {
            TileGeometry.CheckStated(modelPath, settings.ToJobOptions(modelPath, outputDirectory).ToUpscaleOptions());
        }
        catch (InvalidTilingException e)
        {
            throw Failure(e);
        }
    }

    public static SetupFailedException Failure(InvalidTilingException e) =>
        new(ErrorRecords.WithAction(e, "InvalidTiling", ErrorCategory.InvalidArgument, e.Value,
            "Get-Help Invoke-Swin2SRUpscale -Parameter TileSize, TileOverlap says which values a model takes."));
}
