namespace Swin2SR.Core.Imaging;

/// <summary>
/// A problem with one image (not with the setup): the run records it against that image and goes on.
/// <see cref="ErrorId"/> is stable, so scripts and the job store can group by it.
/// </summary>
public sealed class ImageInputException : Exception
{
    public ImageInputException(string errorId, ImageErrorKind kind, string path, string reason, Exception? inner = null)
        : base($"{path}: {reason}", inner)
    {
        ErrorId = errorId;
        Kind = kind;
        Path = path;
        Reason = reason;
    }

    public string ErrorId { get; }
    public ImageErrorKind Kind { get; }
    public string Path { get; }
    public string Reason { get; }
}

/// <summary>What went wrong, in terms the PowerShell layer maps onto error categories.</summary>
public enum ImageErrorKind
{
    NotFound,
    /// <summary>The file exists and cannot be opened for reading: its permissions, or an ACL.</summary>
    AccessDenied,
    /// <summary>Reading the file failed midway: a disk or share error.</summary>
    ReadFailed,
    InvalidData,
    NotSupported,
    LimitExceeded,
    WriteFailed,
    InferenceFailed,
    /// <summary>Its worker ended (crashed, was killed) every time it held the image: the cause is unknown.</summary>
    WorkerLost,
}
