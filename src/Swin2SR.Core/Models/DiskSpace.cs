namespace Swin2SR.Core.Models;

/// <summary>Recognises a full disk, and asks how much room is left, on Windows and on Unix alike.</summary>
internal static class DiskSpace
{
    // On Unix .NET puts the raw errno in HResult: ENOSPC (28) or Linux's EDQUOT (122, quota exhausted).
    // On Windows it is HRESULT_FROM_WIN32 of ERROR_DISK_FULL (112) or ERROR_HANDLE_DISK_FULL (39).
    public static bool IsDiskFull(IOException e) =>
        e.HResult is 28 or 122 or unchecked((int)0x80070070) or unchecked((int)0x80070027);

    /// <summary>Free bytes for this user on the volume that holds <paramref name="directory"/>, or null when the system does not say.</summary>
    public static long? Available(string directory)
    {
        try
        {
            return new DriveInfo(directory).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
