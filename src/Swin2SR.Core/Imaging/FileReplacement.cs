namespace Swin2SR.Core.Imaging;

/// <summary>
/// Renames a finished temp file onto its output. On Windows a rename fails while another program holds either file
/// open without FILE_SHARE_DELETE: an antivirus scanner or the search indexer reading the temp file just closed
/// (ERROR_SHARING_VIOLATION), or a viewer, thumbnailer or backup agent reading the output being replaced (MoveFileEx then
/// fails with ERROR_ACCESS_DENIED, which .NET throws as UnauthorizedAccessException). Both usually clear within a
/// second, so there the rename is tried again a few times before the write fails, instead of failing an image that
/// was computed in full. The temp file was created in the same folder just before, so an access error at the rename is
/// not the folder's permissions. Linux and macOS rename over open files, and their access errors last: tried once.
/// </summary>
internal static class FileReplacement
{
    private const int SharingViolation = unchecked((int)0x80070020); // ERROR_SHARING_VIOLATION
    private const int LockViolation = unchecked((int)0x80070021);    // ERROR_LOCK_VIOLATION

    /// <summary>The waits before each further try: about 1.5 s in all, then the last error stands.</summary>
    internal static readonly TimeSpan[] Waits = [.. new[] { 50, 100, 200, 400, 800 }.Select(ms => TimeSpan.FromMilliseconds(ms))];

    /// <summary>
    /// <see cref="File.Move(string, string, bool)"/>, tried again while another program holds a file on Windows. A file
    /// it replaces (-Force, or a job redoing its own output) hands its permissions on to its replacement first.
    /// </summary>
    public static void Move(string source, string destination, bool overwrite)
    {
        if (overwrite)
            KeepPermissions(destination, source);
        Retry(() => File.Move(source, destination, overwrite), OperatingSystem.IsWindows(), Thread.Sleep);
    }

    private const UnixFileMode PermissionBits = (UnixFileMode)0x1FF; // rwxrwxrwx; not setuid, setgid or sticky

    /// <summary>
    /// Gives <paramref name="replacement"/> the permission bits of the file it is about to replace, as an editor saving
    /// over a file does: an output made read-only (or shared with a group, or kept private) stays so when it is made
    /// again, instead of taking the temp file's umask default. Its owner and group are the process's, as for any
    /// file the process creates. Nothing to keep when no file is there (or it went meanwhile), nor on Windows, where a
    /// read-only output refuses the rename.
    /// </summary>
    internal static void KeepPermissions(string replaced, string replacement)
    {
        if (OperatingSystem.IsWindows())
            return;
        UnixFileMode mode;
        try
        {
            mode = File.GetUnixFileMode(replaced);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return;
        }
        File.SetUnixFileMode(replacement, mode & PermissionBits);
    }

    /// <param name="windows">Whether the failures are Windows' (where another program's open file blocks a rename).</param>
    internal static void Retry(Action move, bool windows, Action<TimeSpan> wait)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                move();
                return;
            }
            catch (Exception e) when (attempt < Waits.Length && MayClear(e, windows))
            {
                wait(Waits[attempt]);
            }
        }
    }

    /// <summary>Whether the rename failed because another program has a file open, which it lets go of soon.</summary>
    internal static bool MayClear(Exception e, bool windows) =>
        windows && e is UnauthorizedAccessException or IOException { HResult: SharingViolation or LockViolation };
}
