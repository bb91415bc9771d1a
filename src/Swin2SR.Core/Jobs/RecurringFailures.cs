namespace Swin2SR.Core.Jobs;

/// <summary>
/// Failures that the same file gives again under the same options: they come from the file's bytes (or from what the
/// model makes of them), not from the disk, the device or the moment. A hot folder's scheduled run leaves such an
/// input alone while it is unchanged, instead of decoding it again every few minutes only to fail (and make every
/// run exit with an error) until someone removes it. Failures of the moment (a file still being copied is caught by
/// its size or time changing; an output folder not writable, a device lost, a worker killed once) are retried.
/// </summary>
public static class RecurringFailures
{
    private static readonly HashSet<string> s_fromTheFile = new(StringComparer.Ordinal)
    {
        "CorruptImage", "EmptyFile", "UnsupportedFormat", "ImageTooLarge", "OutputTooLarge",
        // The model's output for these bytes failed the quality gate: the same model and options make it again.
        "QualityCheckFailed",
        // It ended its worker every time it was run, alone each time after the first.
        "WorkerLost",
        // A named pipe, a device or a socket stays one.
        "NotAFile",
    };

    /// <param name="inputLength">The input's size as listed now, the same as when it failed; -1 when it was not found.</param>
    public static bool Recurs(string? errorId, long inputLength) => errorId is not null && (s_fromTheFile.Contains(errorId)
        // Listed but not there when listed, twice: a symbolic link whose target is gone, or a name that is not UTF-8,
        // which no run can open until it is mended (then it is found, with a size). A file that was there when listed
        // and gone when read was moved or deleted meanwhile: tried again whenever it is listed again.
        || errorId == "InputNotFound" && inputLength < 0);
}
