using System.Diagnostics;

namespace Swin2SR.Core.Tests.Support;

/// <summary>
/// A small tmpfs mounted for one test, to fill a disk for real. Needs Linux and the right to mount (root in a
/// container that allows it); <see cref="WhyNotAvailable"/> says why not where it is not.
/// </summary>
internal sealed class TmpfsFolder : IDisposable
{
    private TmpfsFolder(string path) => Path = path;

    public string Path { get; }

    public static readonly string? WhyNotAvailable = Probe();

    /// <param name="readOnly">Mounted read-only: how a folder without write permission is made for a test run as root, which ignores permissions.</param>
    public static TmpfsFolder Mount(long bytes, bool readOnly = false)
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "swin2sr-tests", "tmpfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        var (exit, output) = Run("mount", "-t", "tmpfs", "-o", (readOnly ? "ro," : "") + $"size={bytes}", "tmpfs", path);
        if (exit != 0)
        {
            Directory.Delete(path);
            throw new InvalidOperationException($"mount -t tmpfs failed ({exit}): {output}");
        }
        return new TmpfsFolder(path);
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
            return "a tmpfs can only be mounted on Linux";
        try
        {
            using var probe = Mount(64 * 1024);
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return $"this process cannot mount a tmpfs to fill ({e.Message})";
        }
    }

    private static (int Exit, string Output) Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Trim());
    }

    public void Dispose()
    {
        Run("umount", Path);
        Directory.Delete(Path);
    }
}

/// <summary>A fact that needs <see cref="TmpfsFolder"/>; skipped, with the reason, where mounting is not possible.</summary>
internal sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (TmpfsFolder.WhyNotAvailable is { } reason)
            Skip = reason;
    }
}
