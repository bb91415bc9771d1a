namespace Swin2SR.Core.Models;

/// <summary>How patient an installation is with a slow or broken network.</summary>
public sealed record ModelInstallerOptions
{
    /// <summary>How many times a broken download is resumed before the installation fails.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>The pause before the first resume; it grows linearly with each further one.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long to wait for a server's answer to begin.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a download may stall without a byte before it counts as broken (and is resumed).</summary>
    public TimeSpan ReadIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
