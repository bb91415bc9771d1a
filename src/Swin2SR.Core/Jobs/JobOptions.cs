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

    /// <summary>
    /// The output format by its name (<see cref="Imaging.OutputFormat"/>), however it was typed or recorded: -Format
    /// takes png, Png and PNG alike, and a run spelling it otherwise must neither redo the job's images (the output
    /// hash) nor be taken for a run with other options (<see cref="JobHandOff.Signature"/>).
    /// </summary>
    public string Format
    {
        get => _format;
        init => _format = Enum.TryParse<Imaging.OutputFormat>(value, ignoreCase: true, out var format) ? format.ToString() : value;
    }

    private readonly string _format = nameof(Imaging.OutputFormat.Same);
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
    public bool KeepPrintSize { get; init; }

    /// <summary>
    /// -Device, -DeviceId and -Precision of the run that last recorded the job (Invoke; Resume only reads them), so that a
    /// Resume goes on where and how the job was meant to run: a job started with -Device Cpu to leave the GPU to
    /// something else, or on a machine without one, must not take the GPU, or warn of the CPU, when cron resumes it.
    /// Jobs recorded before these existed read as Auto, every device, Fp32: what their Resume did then.
    /// </summary>
    public Inference.Devices.DeviceKind Device { get; init; }

    /// <summary>The CUDA device ids asked for; null: every GPU. On a machine without them a Resume fails as -DeviceId does.</summary>
    public IReadOnlyList<int>? DeviceIds { get; init; }

    public Inference.Precision Precision { get; init; }

    /// <summary>
    /// These options but for where and in what precision they run: which items are redone, and which runs work alike,
    /// compare the rest (a job resumed on another machine's GPU, or in Fp16, is the same job).
    /// </summary>
    public JobOptions WithoutDeviceChoice() => this with { Device = default, DeviceIds = null, Precision = default };

    public string ToJson() => JsonSerializer.Serialize(this);

    public static JobOptions FromJson(string json) =>
        JsonSerializer.Deserialize<JobOptions>(json) ?? throw new JobStoreException("A job's recorded options are empty.");

    /// <summary>
    /// A digest of what determines an output's pixels and encoding: the model's content, format, quality, tiling and
    /// the alpha mode and -KeepPrintSize (each only when not the default, so that jobs made before the option existed
    /// keep their digests). Batch size, -Force, the limits and the quality gate decide whether an output is made, not its
    /// pixels. The device and the precision are left out: a GPU's or Fp16's output differs from the CPU's in Fp32 only by
    /// rounding, within the quality gate (an Fp16 image that fails it is redone in Fp32), and a job resumed elsewhere, or
    /// in Fp16, must not redo the images it has done. The model counts by its bytes, not by where it lies: a module
    /// update moves the embedded models to a new folder with new file times, and must not redo every image of every job; a model replaced in place by
    /// another is another model.
    /// </summary>
    public string OutputHash()
    {
        string text = string.Join('\n', ModelIdentity(ModelPath), Format, Quality, TileSize, TileOverlap) + (AlphaMode == Imaging.AlphaMode.Bicubic ? "" : $"\n{AlphaMode}")
            + (KeepPrintSize ? "\nKeepPrintSize" : "");
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    /// <summary>The SHA-256 of the model file; its path when it cannot be read (the run then fails to load it anyway).</summary>
    private static string ModelIdentity(string modelPath)
    {
        try
        {
            return Models.FileDigest.Sha256(modelPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return modelPath;
        }
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
        KeepPrintSize = KeepPrintSize,
    };
}
