namespace Swin2SR.Core.Pipeline;

public enum UpscaleStatus
{
    Succeeded,
    Skipped,
    Failed,
}

/// <summary>The outcome of one input, reported once.</summary>
/// <param name="Duration">
/// The work spent on this input (see <see cref="WorkTime"/>): its decode, its tiles' share of the batches they ran in
/// (tries that ran out of memory included), stitching, quality check and writing; not the time it waited behind
/// other images. Zero for an input skipped or failed before it was read.
/// </param>
/// <param name="Metrics">The quality gate's measurements, for every image that reached it (passed or rejected).</param>
/// <param name="Warnings">What the user should know about a success (an animation cut to its first frame, a dropped alpha, a redo).</param>
/// <param name="Precision">The arithmetic the written output was computed in (Fp32 after an fp16 output was redone).</param>
public sealed record UpscaleResult(
    UpscaleItem Item,
    UpscaleStatus Status,
    int InputWidth,
    int InputHeight,
    int OutputWidth,
    int OutputHeight,
    int Scale,
    string Model,
    TimeSpan Duration,
    UpscaleError? Error,
    Quality.QualityMetrics? Metrics = null,
    IReadOnlyList<string>? Warnings = null,
    Inference.Precision Precision = Inference.Precision.Fp32);

/// <summary>Why an input failed or was skipped: a stable id, a kind the host maps to its categories, a message naming the file.</summary>
public sealed record UpscaleError(string ErrorId, Imaging.ImageErrorKind Kind, string Message, Exception? Exception);
