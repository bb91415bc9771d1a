using System.Runtime.InteropServices;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// Tells a path that names something other than a regular file: opening a named pipe waits until something writes
/// to it (a whole run would hang on one), and a device such as /dev/zero reads without end. .NET gives no file type
/// on Linux (FileAttributes says Normal for a pipe, a device and a file alike), so this asks the kernel with statx,
/// whose buffer has one layout on every Linux architecture. Elsewhere, or with a libc that lacks statx, it knows
/// nothing, and <see cref="ImageLoader"/> still refuses a stream that cannot seek once it is open.
/// </summary>
internal static unsafe class SpecialFiles
{
    private const int CurrentDirectory = -100; // AT_FDCWD
    private const uint TypeField = 0x1;        // STATX_TYPE
    private const int FileTypeMask = 0xF000;   // S_IFMT

    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(0)] public uint Mask;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Inode;
        [FieldOffset(136)] public uint DeviceMajor;
        [FieldOffset(140)] public uint DeviceMinor;
    }

    private const uint InodeField = 0x100;     // STATX_INO

    /// <summary>
    /// Whether writing <paramref name="output"/> (a new file renamed onto it) would replace <paramref name="input"/>'s
    /// data: the output's name, in its folder, is the very entry that holds the input, however the paths reach it (a
    /// symbolic link to the folder or to the file, a bind mount). A hard link is another entry, which keeps the data:
    /// not this. False where it cannot be told.
    /// </summary>
    public static bool WouldReplace(string input, string output)
    {
        string held;
        try
        {
            held = new FileInfo(input).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? input;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // A path no file can have (a NUL in it) fails where it is read, as this image's error, not here.
            return false;
        }
        return Path.GetFileName(held) == Path.GetFileName(output)
            && AreSameFile(Path.GetDirectoryName(held)!, Path.GetDirectoryName(output)!);
    }

    /// <summary>Whether two paths name one file: the same device and inode. False where either does not exist or it cannot be told.</summary>
    private static bool AreSameFile(string first, string second) => Identity(first) is { } a && Identity(second) == a;

    /// <summary>The device and inode of what <paramref name="path"/> names, links followed; null where it does not exist or it cannot be told.</summary>
    public static (ulong Inode, uint DeviceMajor, uint DeviceMinor)? Identity(string path) =>
        Stat(path, InodeField) is { } s ? (s.Inode, s.DeviceMajor, s.DeviceMinor) : null;

    private static readonly IntPtr Statx = OperatingSystem.IsLinux()
        && NativeLibrary.TryGetExport(NativeLibrary.GetMainProgramHandle(), "statx", out IntPtr statx) ? statx : IntPtr.Zero;

    /// <summary>What the path is ("a named pipe (FIFO)"), or null for a regular file, a missing one, or when it cannot be told.</summary>
    public static string? Describe(string path)
    {
        if (Stat(path, TypeField) is not { } buffer)
            return null;
        return (buffer.Mode & FileTypeMask) switch
        {
            0x1000 => "a named pipe (FIFO)",
            0x2000 => "a character device",
            0x4000 => "a folder",
            0x6000 => "a block device",
            0xC000 => "a socket",
            _ => null,
        };
    }

    /// <summary>What statx says of <paramref name="path"/>, when it says the <paramref name="fields"/> asked for; null otherwise.</summary>
    private static StatxBuffer? Stat(string path, uint fields)
    {
        if (Statx == IntPtr.Zero)
            return null;
        StatxBuffer buffer = default;
        IntPtr pathUtf8 = Marshal.StringToCoTaskMemUTF8(path);
        try
        {
            // Without AT_SYMLINK_NOFOLLOW: a link to an image is that image.
            int status = ((delegate* unmanaged<int, IntPtr, int, uint, StatxBuffer*, int>)Statx)(CurrentDirectory, pathUtf8, 0, fields, &buffer);
            return status == 0 && (buffer.Mask & fields) == fields ? buffer : null;
        }
        finally
        {
            Marshal.FreeCoTaskMem(pathUtf8);
        }
    }
}
