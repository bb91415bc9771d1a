using System.Management.Automation;
using Swin2SR.Core.Jobs;
using Swin2SR.Core.Pipeline;

namespace Swin2SR.PowerShell.Commands;

/// <summary>Turns a run's results into what the cmdlets write: a <see cref="Swin2SRUpscaleResult"/>, and an error record for an image that failed.</summary>
internal static class UpscaleResultOutput
{
    /// <summary>The image's error as the command writes it; null when it did not fail now.</summary>
    public static ErrorRecord? ErrorOf(UpscaleResult result) =>
        result.Status == UpscaleStatus.Failed && result.Error is { } e
            ? new ErrorRecord(e.Exception ?? new InvalidOperationException(e.Message), e.ErrorId, ImageErrorCategories.Of(e.Kind), result.Item.InputPath)
            {
                ErrorDetails = new ErrorDetails(e.Message),
            }
            : null;

    public static Swin2SRUpscaleResult From(UpscaleResult r, string jobName, string store) => new()
    {
        JobName = jobName,
        Store = store,
        InputPath = r.Item.InputPath,
        // The item's planned output is not a file when the image failed (now, or before and left failed); the error says where it went wrong.
        OutputPath = r.Status == UpscaleStatus.Failed || r.Error?.ErrorId == JobPlanner.FailedBeforeId ? null : r.Item.OutputPath,
        Status = (Swin2SRItemStatus)(int)r.Status,
        InputWidth = KnownSize.Of(r.InputWidth),
        InputHeight = KnownSize.Of(r.InputHeight),
        OutputWidth = KnownSize.Of(r.OutputWidth),
        OutputHeight = KnownSize.Of(r.OutputHeight),
        Scale = r.Scale,
        Model = r.Model,
        Precision = r.Precision.ToString(),
        Duration = r.Duration,
        ErrorId = r.Error?.ErrorId,
        Error = r.Error?.Message,
        Metrics = QualityMetricsOutput.From(r.Metrics),
        Warnings = Swin2SRTextList.OfInput(r.Item.InputPath, r.Warnings),
    };
}
