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
            ? $"the path is {length} {Unit} long, over this platform's limit of {MaxPathLength}, so no file can be opened by it, whether or not one is there: move or rename its folders to shorten it"
            : null;

    /// <summary>Null when <paramref name="fullPath"/> (an output's) fits; otherwise why it does not, and what to change.</summary>
    public static string? FindExcess(string fullPath)
    {
        int length = Length(fullPath);
        if (length > MaxPathLength)
            return $"the output path is {length} {Unit} long, over this platform's limit of {MaxPathLength}: choose a shorter -OutputDirectory, " +
                "or move the images to a folder with a shorter path";
        string[] parts = fullPath.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        for (int i = 0; i < parts.Length; i++)
        {
            string part = parts[i];
            if (Length(part) <= MaxNameLength)
                continue;
            string over = $"'{part[..Math.Min(part.Length, 40)]}...' is {Length(part)} {Unit} long, over this platform's limit of {MaxNameLength} for one name";
            // The inputs' own folder names fit, so a folder's name too long is -OutputDirectory's; a file's is the input's,
            // its extension made the output format's (a .jpe as .webp grows by one).
            return i == parts.Length - 1
                ? $"the output's name {over}: give the input a shorter name (the output's is the input's with its format's extension)"
                : $"the folder name {over}: choose another -OutputDirectory";
        }
        return null;
    }

    /// <summary>What <see cref="Length"/> counts.</summary>
    private static string Unit => OperatingSystem.IsWindows() ? "characters" : "bytes";
}
