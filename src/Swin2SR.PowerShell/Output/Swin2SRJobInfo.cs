using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace Swin2SR.PowerShell;

/// <summary>What Get-Swin2SRJob shows for a job (format view: Swin2SR.PowerShell.Format.ps1xml).</summary>
public sealed class Swin2SRJobInfo
{
    public string Name { get; init; } = "";
    public string State { get; init; } = "";
    public long Total { get; init; }
    public long Pending { get; init; }
    public long Running { get; init; }
    public long Succeeded { get; init; }
    public long Failed { get; init; }
    public long Skipped { get; init; }

    /// <summary>How many of the Succeeded items came with warnings (a TIFF's pages left out): Get-Swin2SRJobItem | Where-Object Warnings lists them.</summary>
    public long WithWarnings { get; init; }

    public double PercentComplete { get; init; }
    public double ImagesPerSecond { get; init; }
    public TimeSpan? EstimatedRemaining { get; init; }
    public DateTime Created { get; init; }

    /// <summary>When the job's first image started.</summary>
    public DateTime? Started { get; init; }

    /// <summary>
    /// When a run last took up the job (Invoke-Swin2SRUpscale created or extended it, or Resume-Swin2SRJob resumed it),
    /// recording its options: not when it last made progress, which is <see cref="LastFinished"/>. A rerun that
    /// found everything done moves it past LastFinished.
    /// </summary>
    public DateTime Updated { get; init; }

    /// <summary>When the job's last image finished (succeeded or failed): its last progress.</summary>
    public DateTime? LastFinished { get; init; }

    /// <summary>The live workers, as "host:pid (device, n done, images/s)"; the default table shows how many.</summary>
    public Swin2SRTextList Workers { get; init; } = Swin2SRTextList.Empty;

    public string Model { get; init; } = "";

    /// <summary>
    /// The -Device a Resume of the job uses unless told otherwise: Auto, Cpu or Cuda, with the recorded -DeviceId as
    /// "Cuda 0,1"; so that an operator sees before a night's Resume where it will run.
    /// </summary>
    public string Device { get; init; } = "";

    /// <summary>The -Precision a Resume of the job uses unless told otherwise (Fp32 or Fp16).</summary>
    public string Precision { get; init; } = "";

    public string? OutputDirectory { get; init; }
    public string Store { get; init; } = "";

    public override string ToString() => Name;
}

/// <summary>An item's place in its job: waiting, leased by a worker, or finished one way or another.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum Swin2SRJobItemStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,
    Skipped,
}

/// <summary>One journaled input of a job, as Get-Swin2SRJobItem emits it.</summary>
public sealed class Swin2SRJobItem
{
    public string JobName { get; init; } = "";
    public string InputPath { get; init; } = "";
    public string OutputPath { get; init; } = "";
    public Swin2SRJobItemStatus Status { get; init; }
    public int Attempts { get; init; }
    public string? ErrorId { get; init; }
    public string? Error { get; init; }
    public DateTime? Started { get; init; }
    public DateTime? Finished { get; init; }

    /// <summary>The work spent on the image in its last attempt (the result's Duration); Started to Finished also holds its waits.</summary>
    public TimeSpan? Duration { get; init; }

    public int? InputWidth { get; init; }
    public int? InputHeight { get; init; }
    public int? OutputWidth { get; init; }
    public int? OutputHeight { get; init; }

    /// <summary>"WxH" where known, as on Invoke-Swin2SRUpscale's results and in the views.</summary>
    public string? InputSize => KnownSize.Text(InputWidth, InputHeight);

    public string? OutputSize => KnownSize.Text(OutputWidth, OutputHeight);

    public string? Worker { get; init; }

    /// <summary>The job store the item was read from, as on its job: the job cmdlets it is piped to bind it to -JobStore.</summary>
    public string Store { get; init; } = "";

    /// <summary>The quality gate's measurements, as journaled.</summary>
    public Swin2SRQualityMetrics? Metrics { get; init; }

    public double? ConsistencyPsnr => Metrics?.ConsistencyPsnr;

    /// <summary>
    /// What the run that did the item warned of, as its result's Warnings did (pages of a TIFF left out, a GIF cut to its
    /// first frame), each naming the input; empty when it warned of nothing, so Where-Object Warnings finds the others.
    /// </summary>
    public Swin2SRTextList Warnings { get; init; } = Swin2SRTextList.Empty;

    public string Name => System.IO.Path.GetFileName(InputPath);
    public string Directory => System.IO.Path.GetDirectoryName(InputPath) ?? "";

    public override string ToString() => $"{Status}: {InputPath}";
}
