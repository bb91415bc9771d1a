using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace Swin2SR.PowerShell;

/// <summary>Where a model comes from: shipped with the module, installed in the model folder, or only in the catalog.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum Swin2SRModelSource
{
    Embedded,
    Installed,
    Available,
}

/// <summary>What Get-Swin2SRModel and Install-Swin2SRModel write for each model (format view: Swin2SR.PowerShell.Format.ps1xml).</summary>
public sealed class Swin2SRModelInfo
{
    public string Name { get; init; } = "";
    public Swin2SRModelSource Source { get; init; }

    /// <summary>The enlargement factor; null for a model file whose origin is not recorded.</summary>
    public int? Scale { get; init; }

    /// <summary>
    /// The model's size in bytes: of its file with its weights files (<see cref="DataFiles"/>) for an installed one,
    /// the catalog's figure for an Available one. A number, so that <c>Sort-Object Size</c> and
    /// <c>Where-Object Size -gt 100MB</c> work; the views show it as "54.4 MB".
    /// </summary>
    public long? Size { get; init; }

    /// <summary>The model file, for embedded and installed models.</summary>
    public string? Path { get; init; }

    public string? Task { get; init; }

    /// <summary>fp32 or fp16.</summary>
    public string? Precision { get; init; }

    public string? Revision { get; init; }

    /// <summary>The SHA-256 the catalog states (Available) or that was verified at installation (Installed).</summary>
    public string? Sha256 { get; init; }

    public string? Url { get; init; }

    public string? IntendedUse { get; init; }

    /// <summary>
    /// The catalog (a path or an address) that offers an Available model: Install-Swin2SRModel takes it from the
    /// pipeline, so a model listed from a mirror is installed from that mirror.
    /// </summary>
    public string? Catalog { get; init; }

    public DateTimeOffset? InstalledAt { get; init; }

    /// <summary>
    /// For an Installed model that keeps its weights in files beside it (ONNX external data, as models over 2 GB
    /// do): those files, which Install-Swin2SRModel downloaded and verified with it; empty for most models.
    /// </summary>
    public string[] DataFiles { get; init; } = [];

    /// <summary>
    /// For an Installed model: how its file differs from the one verified when it was installed (another size or
    /// SHA-256); null when it is that file, or (copied in by hand) when nothing was recorded. Runs refuse such a
    /// model; Install-Swin2SRModel installs it again.
    /// </summary>
    public string? ChangedSinceInstall { get; init; }

    /// <summary>
    /// For an Available model: the bytes of an interrupted download kept in the model folder, which
    /// Install-Swin2SRModel resumes from instead of starting over; null when there is none.
    /// </summary>
    public long? ReceivedBytes { get; init; }

    /// <summary><see cref="ReceivedBytes"/> as the share of the size where the size is known (40%), else as an amount (21.8 MB).</summary>
    public string? Received => ReceivedBytes is not long bytes ? null
        : Size is long size and > 0 ? $"{bytes * 100 / size}%"
        : Swin2SRDisplay.Bytes(bytes);

    public override string ToString() => Name;
}
