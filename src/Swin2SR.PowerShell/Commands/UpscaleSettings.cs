using Swin2SR.Core.Imaging;
using Swin2SR.Core.Jobs;
using Swin2SR.Core.Quality;

namespace Swin2SR.PowerShell.Commands;

/// <summary>The cmdlet's output-shaping parameters, handed to the engine as one value.</summary>
internal sealed record UpscaleSettings(string Format, int Quality, int TileSize, int TileOverlap, int BatchSize, bool Force)
{
    /// <summary>Null where the user did not say: the engine's default then applies.</summary>
    public double? MaxInputMegapixels { get; init; }

    public double? MaxOutputMegapixels { get; init; }
    public string AlphaMode { get; init; } = nameof(Core.Imaging.AlphaMode.Bicubic);
    public double? MinConsistencyPsnr { get; init; }

    /// <summary>A full path, or null: rejected outputs are discarded.</summary>
    public string? KeepRejected { get; init; }

    public bool KeepPrintSize { get; init; }

    /// <summary>-RetryFailed: inputs that failed before, unchanged since, are tried again (not an option of the job).</summary>
    public bool RetryFailed { get; init; }

    /// <summary>The common folder of every input listed, those the run leaves out too (see <see cref="JobPlanner.AddInputs"/>); null without -OutputDirectory.</summary>
    public string? ListedRoot { get; init; }

    /// <summary>The options a job records for a run with these settings, this model and this -OutputDirectory.</summary>
    public JobOptions ToJobOptions(string modelPath, string? outputDirectory) =>
        new()
        {
            ModelPath = modelPath,
            OutputDirectory = outputDirectory,
            Format = Format,
            Quality = Quality,
            TileSize = TileSize,
            TileOverlap = TileOverlap,
            BatchSize = BatchSize,
            Force = Force,
            MaxInputMegapixels = MaxInputMegapixels ?? ImageLimits.DefaultMaxInputMegapixels,
            MaxOutputMegapixels = MaxOutputMegapixels ?? ImageLimits.DefaultMaxOutputMegapixels,
            AlphaMode = Enum.Parse<Core.Imaging.AlphaMode>(AlphaMode, ignoreCase: true),
            MinConsistencyPsnr = MinConsistencyPsnr ?? QualityGate.DefaultMinConsistencyPsnr,
            KeepRejectedDirectory = KeepRejected,
            KeepPrintSize = KeepPrintSize,
        };
}
