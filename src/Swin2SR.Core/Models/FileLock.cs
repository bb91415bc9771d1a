namespace Swin2SR.Core.Models;

/// <summary>Recognises the failure to open a file that another handle holds with FileShare.None.</summary>
internal static class FileLock
{
    // On Unix .NET's flock fails with EWOULDBLOCK (raw errno in HResult: 11 on Linux, 35 on macOS); on Windows,
    // HRESULT_FROM_WIN32 of ERROR_SHARING_VIOLATION (32) or ERROR_LOCK_VIOLATION (33).
    public static bool IsHeldByAnother(IOException e) =>
        e.HResult is unchecked((int)0x80070020) or unchecked((int)0x80070021)
        || (!OperatingSystem.IsWindows() && e.HResult == (OperatingSystem.IsLinux() ? 11 : 35));
}
