namespace Swin2SR.Core.Imaging;

/// <summary>
/// Whether outputs can be written into a folder, found before any image is decoded or upscaled: a folder the process
/// may not write to (its permissions, a disk mounted read-only) would otherwise fail every image alike, each only
/// after it was computed. The folder itself is tried when it exists, else the nearest folder above it, where the run
/// would create it; the try is an empty hidden file, created and deleted at once, so nothing is left behind.
/// </summary>
public static class OutputFolderProbe
{
    /// <summary>
    /// Null when outputs can be written into <paramref name="folder"/> (or it can be created); else the folder that
    /// refused the try and why. A file standing where a folder would be is left to <see cref="ImageWriter.CheckPath"/>,
    /// which fails its images by name before decoding them.
    /// </summary>
    public static OutputFolderRefusal? Try(string folder)
    {
        string? existing = NearestExistingFolder(folder);
        if (existing is null)
            return null;
        string probe = Path.Combine(existing, $".swin2sr-write-check.{Guid.NewGuid():N}.tmp");
        try
        {
            // DeleteOnClose: the probe goes as the handle closes, even where a delete would need another permission.
            new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose).Dispose();
            return null;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return new OutputFolderRefusal(existing, e);
        }
    }

    /// <summary>The folder itself, or the nearest above it that exists; null when a file stands in the way.</summary>
    private static string? NearestExistingFolder(string folder)
    {
        for (string? path = Path.GetFullPath(folder); !string.IsNullOrEmpty(path); path = Path.GetDirectoryName(path))
        {
            if (Directory.Exists(path))
                return path;
            if (File.Exists(path))
                return null;
        }
        return null;
    }
}

/// <param name="Folder">The folder that could not be written: the output folder, or the one above it where it would be created.</param>
/// <param name="Reason">What the system answered: <see cref="UnauthorizedAccessException"/> for permissions.</param>
public sealed record OutputFolderRefusal(string Folder, Exception Reason)
{
    /// <summary>True when permissions refused it; false for a disk mounted read-only or another I/O failure.</summary>
    public bool PermissionDenied => Reason is UnauthorizedAccessException;
}
