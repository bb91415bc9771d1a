using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Swin2SR.Core.Jobs;

/// <summary>
/// What a job was started with, recorded so that Resume can continue it from any session. The options that
/// shape an output are hashed per item: a rerun with different ones redoes the item.
/// </summary>
public sealed record JobOptions
{
    public required string ModelPath { get; init; }
    public string? OutputDirectory { get; init; }

    /// <summary>The folder whose structure is mirrored into <see cref="OutputDirectory"/>, fixed when the job is created.</summary>
    public string? OutputRoot { get; init; }

    public string Format { get; init; } = "Same";
    public int Quality { get; init; } = Pipeline.UpscaleOptions.DefaultQuality;
    public int TileSize { get; init; }
    public int TileOverlap { get; init; } = Pipeline.UpscaleOptions.DefaultTileOverlap;
    public int BatchSize { get; init; } = Pipeline.UpscaleOptions.AutomaticBatchSize;
    public bool Force { get; init; }
    public double MaxInputMegapixels { get; init; } = Imaging.ImageLimits.DefaultMaxInputMegapixels;
    public double MaxOutputMegapixels { get; init; } = Imaging.ImageLimits.DefaultMaxOutputMegapixels;
    public Imaging.AlphaMode AlphaMode { get; init; }
    public double MinConsistencyPsnr { get; init; } = global::Swin2SR.Core.Quality.QualityGate.DefaultMinConsistencyPsnr;
    public string? KeepRejectedDirectory { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this);

    public static JobOptions FromJson(string json) =>
        JsonSerializer.Deserialize<JobOptions>(json) ?? throw new JobStoreException("A job's recorded options are empty.");

    /// <summary>
    /// A digest of what determines an output's pixels and encoding: the model file (path, size and time, so a
    /// replaced model counts as different), format, quality, tiling and the alpha mode. Batch size, -Force, the
    /// limits and the quality gate decide whether an output is made, not its pixels.
    /// </summary>
    public string OutputHash()
    {
        var model = new FileInfo(ModelPath);
        string modelIdentity = model.Exists ? $"{model.FullName}|{model.Length}|{model.LastWriteTimeUtc.Ticks}" : ModelPath;
        string text = string.Join('\n', modelIdentity, Format, Quality, TileSize, TileOverlap) + (AlphaMode == Imaging.AlphaMode.Bicubic ? "" : $"\n{AlphaMode}");
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    public Pipeline.UpscaleOptions ToUpscaleOptions() => new()
    {
        TileSize = TileSize,
        TileOverlap = TileOverlap,
        BatchSize = BatchSize,
        Quality = Quality,
        Force = Force,
        Limits = new Imaging.ImageLimits(MaxInputMegapixels, MaxOutputMegapixels),
        AlphaMode = AlphaMode,
        MinConsistencyPsnr = MinConsistencyPsnr,
        KeepRejectedDirectory = KeepRejectedDirectory,
    };
}
