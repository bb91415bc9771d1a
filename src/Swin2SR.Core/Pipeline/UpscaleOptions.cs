using Swin2SR.Core.Imaging;

namespace Swin2SR.Core.Pipeline;

/// <summary>Everything that shapes a run's outputs and its use of the machine.</summary>
public sealed record UpscaleOptions
{
    /// <summary>256 and its smaller candidates leave 25% of the computed pixels to padding, edge context and overlap on RealSRSet on GPUs (15% on CPUs).</summary>
    public const int DefaultTileSize = 256;
    public const int DefaultTileOverlap = 16;
    /// <summary>The batch size that means "found per device and tile shape" (see BatchSizer).</summary>
    public const int AutomaticBatchSize = 0;
    public const int DefaultQuality = 95;

    /// <summary>Input tile edge in pixels; a multiple of the model's window. 0 takes the default (or the model's fixed size).</summary>
    public int TileSize { get; init; }

    /// <summary>Overlap between neighbouring tiles, in input pixels; at most half the tile.</summary>
    public int TileOverlap { get; init; } = DefaultTileOverlap;

    /// <summary>Tiles per inference call; <see cref="AutomaticBatchSize"/> finds it from throughput and free memory.</summary>
    public int BatchSize { get; init; } = AutomaticBatchSize;
    public int Quality { get; init; } = DefaultQuality;
    public bool Force { get; init; }
    public ImageLimits Limits { get; init; } = ImageLimits.Default;

    /// <summary>How a transparent image's alpha channel is upscaled.</summary>
    public AlphaMode AlphaMode { get; init; } = AlphaMode.Bicubic;

    /// <summary>The output states the input's resolution times the scale, so it prints at the input's size (see <see cref="PrintResolution"/>).</summary>
    public bool KeepPrintSize { get; init; }

    /// <summary>An output whose consistency with its input (see <see cref="global::Swin2SR.Core.Quality.QualityMetrics"/>) is below this fails; 0 turns the check off.</summary>
    public double MinConsistencyPsnr { get; init; } = global::Swin2SR.Core.Quality.QualityGate.DefaultMinConsistencyPsnr;

    /// <summary>Where outputs that fail the quality gate are written for review; null: they are discarded.</summary>
    public string? KeepRejectedDirectory { get; init; }

    /// <summary>
    /// Decoder threads, and encoder threads where the CPU runs the model too (where only GPUs do, the encoders take
    /// every other core: see StageSizes). They share the cores with inference, whose threads sleep while they work;
    /// at least two, so that a large image being encoded does not hold up the small ones behind it, and the last
    /// outputs of a run are encoded side by side once inference has finished.
    /// </summary>
    public int IoThreads { get; init; } = Math.Max(2, Environment.ProcessorCount / 4);

    /// <summary>
    /// Images decoded but not yet written: bounds memory whatever the number of inputs. Null: two per device worker
    /// and one per encoder, at least 8 (see StageSizes).
    /// </summary>
    public int? MaxImagesInFlight { get; init; }

    public const int DefaultImagesInFlight = 8;

    /// <summary>Bytes those images may hold at once (see <see cref="MemoryBudget.ImageBytes"/>): bounds memory whatever their size.</summary>
    public long MaxBytesInFlight { get; init; } = MemoryBudget.DefaultLimitBytes();
}
