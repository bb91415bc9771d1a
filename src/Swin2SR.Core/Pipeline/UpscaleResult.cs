namespace Swin2SR.Core.Pipeline;

public enum UpscaleStatus
{
    Succeeded,
    Skipped,
    Failed,
}

/// <summary>The outcome of one input, reported once.</summary>
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
    UpscaleError? Error);

/// <summary>Why an input failed or was skipped: a stable id, a kind the host maps to its categories, a message naming the file.</summary>
public sealed record UpscaleError(string ErrorId, Imaging.ImageErrorKind Kind, string Message, Exception? Exception);
