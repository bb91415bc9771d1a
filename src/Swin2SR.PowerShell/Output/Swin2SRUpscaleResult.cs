using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace Swin2SR.PowerShell;

/// <summary>
/// How an input's run ended. The output enums are written by name by ConvertTo-Json too (as by Export-Csv and the
/// console): as numbers, Succeeded was 0 here and 2 in a job item's <see cref="Swin2SRJobItemStatus"/>.
/// </summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum Swin2SRItemStatus
{
    Succeeded,
    Skipped,
    Failed,
}

/// <summary>What Invoke-Swin2SRUpscale writes for each input (format view: Swin2SR.PowerShell.Format.ps1xml).</summary>
public sealed class Swin2SRUpscaleResult
{
    public string JobName { get; init; } = "";

    /// <summary>The job store the run recorded its job in: the job cmdlets a result is piped to bind it to -JobStore.</summary>
    public string Store { get; init; } = "";

    public string InputPath { get; init; } = "";

    /// <summary>The file written (Succeeded) or already there (Skipped); null for a failure, which wrote nothing.</summary>
    public string? OutputPath { get; init; }

    public Swin2SRItemStatus Status { get; init; }

    /// <summary>Null where not known: the input of a failure that could not be read, the output of any failure. An input skipped as AlreadyDone has the sizes the job recorded when it was done.</summary>
    public int? InputWidth { get; init; }

    public int? InputHeight { get; init; }
    public int? OutputWidth { get; init; }
    public int? OutputHeight { get; init; }
    public int Scale { get; init; }
    public string Model { get; init; } = "";

    /// <summary>Fp32 or Fp16: the arithmetic the output was computed in (Fp32 when an fp16 output was redone).</summary>
    public string Precision { get; init; } = "Fp32";

    /// <summary>The work spent on the image (decode, its share of the model's time, quality check, write), not the time it waited behind others.</summary>
    public TimeSpan Duration { get; init; }

    public string? ErrorId { get; init; }
    public string? Error { get; init; }

    /// <summary>The quality gate's measurements; null for an image that did not reach it (skipped, or failed before).</summary>
    public Swin2SRQualityMetrics? Metrics { get; init; }

    public double? ConsistencyPsnr => Metrics?.ConsistencyPsnr;

    /// <summary>What to know about a success (an animated GIF cut to its first frame, an alpha channel the format cannot hold).</summary>
    public Swin2SRTextList Warnings { get; init; } = Swin2SRTextList.Empty;

    /// <summary>"WxH" where known, as the views show it, so that a report can select, sort or export it by that name too.</summary>
    public string? InputSize => KnownSize.Text(InputWidth, InputHeight);

    public string? OutputSize => KnownSize.Text(OutputWidth, OutputHeight);

    public string Name => System.IO.Path.GetFileName(InputPath);
    public string Directory => System.IO.Path.GetDirectoryName(InputPath) ?? "";

    public override string ToString() => $"{Status}: {InputPath}";
}
