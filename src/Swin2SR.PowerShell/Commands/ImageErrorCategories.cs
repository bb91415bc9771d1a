using System.Management.Automation;
using Swin2SR.Core.Imaging;

namespace Swin2SR.PowerShell.Commands;

/// <summary>The PowerShell error category for each kind of per-image problem the engine reports.</summary>
internal static class ImageErrorCategories
{
    public static ErrorCategory Of(ImageErrorKind kind) => kind switch
    {
        ImageErrorKind.NotFound => ErrorCategory.ObjectNotFound,
        ImageErrorKind.AccessDenied => ErrorCategory.PermissionDenied,
        ImageErrorKind.ReadFailed => ErrorCategory.ReadError,
        ImageErrorKind.NotSupported => ErrorCategory.InvalidType,
        ImageErrorKind.LimitExceeded => ErrorCategory.LimitsExceeded,
        ImageErrorKind.WriteFailed => ErrorCategory.WriteError,
        ImageErrorKind.InferenceFailed => ErrorCategory.InvalidResult,
        ImageErrorKind.WorkerLost => ErrorCategory.OperationStopped,
        _ => ErrorCategory.InvalidData,
    };
}
