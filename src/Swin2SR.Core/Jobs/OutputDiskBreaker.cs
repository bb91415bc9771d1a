using Swin2SR.Core.Imaging;
using Swin2SR.Core.Pipeline;

namespace Swin2SR.Core.Jobs;

/// <summary>
/// Tells when outputs keep failing for their disk, full or mounted read-only, so that a run ends instead of
/// computing every image left only to fail writing it (hours of a GPU on a long night). One DiskFull alone is an
/// output larger than the space left, and smaller ones may still fit; <see cref="Limit"/> in a row, with no output
/// written between them, is a full disk. A read-only file system (a disk remounted read-only after errors, a
/// share gone read-only) refuses every output alike; a folder without write permission is not counted, as other
/// folders of the run may be writable.
/// </summary>
public sealed class OutputDiskBreaker
{
    public const int Limit = 3;

    private int _inARow;

    /// <summary>What tripped the breaker; null while it has not.</summary>
    public OutputDiskStop? Tripped { get; private set; }

    /// <summary>Counts an outcome, in the order the pipeline gives them; true once tripped.</summary>
    public bool Observe(UpscaleResult result)
    {
        if (OutputFailure.DiskWide(result.Error) is { } readOnly)
        {
            if (++_inARow >= Limit)
                Tripped ??= new OutputDiskStop(result.Item.OutputPath, readOnly);
        }
        else if (result.Status == UpscaleStatus.Succeeded)
        {
            // Only a written output shows that the disk takes outputs; a skipped or unreadable input writes nothing.
            _inARow = 0;
        }
        return Tripped is not null;
    }
}

/// <param name="OutputPath">The output whose write tripped the breaker.</param>
/// <param name="ReadOnly">True: the disk is mounted read-only; false: it is full.</param>
public sealed record OutputDiskStop(string OutputPath, bool ReadOnly);
