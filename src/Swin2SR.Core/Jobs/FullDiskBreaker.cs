using Swin2SR.Core.Imaging;
using Swin2SR.Core.Pipeline;

namespace Swin2SR.Core.Jobs;

/// <summary>
/// Tells when outputs keep failing for a full disk, so that a run ends instead of computing every image left only
/// to fail writing it (hours of a GPU on a long night). One DiskFull alone is an output larger than the space
/// left, and smaller ones may still fit; <see cref="Limit"/> in a row, with no output written between them, is a
/// full disk.
/// </summary>
public sealed class FullDiskBreaker
{
    public const int Limit = 3;

    private int _inARow;

    /// <summary>The output whose write tripped the breaker; null while it has not.</summary>
    public string? TrippedAt { get; private set; }

    /// <summary>Counts an outcome, in the order the pipeline gives them; true once tripped.</summary>
    public bool Observe(UpscaleResult result)
    {
        if (result.Error?.ErrorId == OutputFailure.DiskFullId)
        {
            if (++_inARow >= Limit)
                TrippedAt ??= result.Item.OutputPath;
        }
        else if (result.Status == UpscaleStatus.Succeeded)
        {
            // Only a written output shows that the disk has room; a skipped or unreadable input writes nothing.
            _inARow = 0;
        }
        return TrippedAt is not null;
    }
}
