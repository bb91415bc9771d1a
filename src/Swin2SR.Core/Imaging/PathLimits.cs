using System.Text;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// The platform's limits on a path, checked before an image is decoded so that an output that could never be
/// written fails at once, with a clear reason, instead of after its inference.
/// </summary>
public static class PathLimits
{
    /// <summary>NAME_MAX on Linux and macOS (bytes of UTF-8), and the component limit on Windows (UTF-16 units).</summary>
    public const int MaxNameLength = 255;

    /// <summary>PATH_MAX less its terminating NUL: 4096 on Linux, 1024 on macOS; 32767 with the \\?\ prefix .NET adds on Windows.</summary>
    public static int MaxPathLength { get; } = OperatingSystem.IsWindows() ? 32767 : OperatingSystem.IsMacOS() ? 1023 : 4095;

    /// <summary>A path's length as the platform counts it.</summary>
    public static int Length(string text) => OperatingSystem.IsWindows() ? text.Length : Encoding.UTF8.GetByteCount(text);

    /// <summary>Why no file can be opened by <paramref name="fullPath"/>, which is longer than the platform takes; null when it is not.</summary>
    public static string? FindInputExcess(string fullPath) =>
        Length(fullPath) is var length && length > MaxPathLength
            ? $"the path is {length} long, over this platform's limit of {MaxPathLength}, so no file can be opened by it, whether or not one is there: move or rename its folders to shorten it"
            : null;

    /// <summary>Null when <paramref name="fullPath"/> fits; otherwise why it does not.</summary>
    public static string? FindExcess(string fullPath)
    {
        int length = Length(fullPath);
        if (length > MaxPathLength)
            return $"the output path is {length} long, over this platform's limit of {MaxPathLength}";
        foreach (var part in fullPath.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar))
        {
            if (Length(part) > MaxNameLength)
                return $"the name '{part[..Math.Min(part.Length, 40)]}...' is {Length(part)} long, over this platform's limit of {MaxNameLength} for one name";
        }
        return null;
    }
}
