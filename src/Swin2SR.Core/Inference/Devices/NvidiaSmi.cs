using System.ComponentModel;
using System.Diagnostics;

namespace Swin2SR.Core.Inference.Devices;

/// <summary>
/// Asks nvidia-smi for the GPUs: the fallback where NVML cannot be loaded into this process but the tool works
/// (another architecture's library, a container that ships the tool). Missing, hung or failing, it is an answer.
/// </summary>
public static class NvidiaSmi
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    /// <summary>On the PATH; on Windows also where older drivers install it.</summary>
    public static IReadOnlyList<string> DefaultExecutables { get; } = OperatingSystem.IsWindows()
        ? ["nvidia-smi.exe", Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles), "NVIDIA Corporation", "NVSMI", "nvidia-smi.exe")]
        : ["nvidia-smi"];

    /// <summary>
    /// The GPUs nvidia-smi lists; null when it is missing or fails. Why, and any line it printed that is not a GPU,
    /// go to <paramref name="notes"/>.
    /// </summary>
    public static IReadOnlyList<GpuInfo>? TryRead(IReadOnlyList<string> executables, List<string> notes)
    {
        var failures = new List<string>();
        foreach (string executable in executables)
        {
            string? output = Run(executable, out string? failure);
            if (output is null)
            {
                failures.Add(failure!);
                continue;
            }
            var (gpus, problems) = NvidiaSmiParser.Parse(output);
            notes.AddRange(problems);
            return gpus;
        }
        notes.Add(string.Join("; ", failures));
        return null;
    }

    private static string? Run(string executable, out string? failure)
    {
        var start = new ProcessStartInfo(executable, NvidiaSmiParser.Arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("the process did not start");
        }
        catch (Win32Exception e)
        {
            const int FileNotFound = 2; // ENOENT, ERROR_FILE_NOT_FOUND
            failure = e.NativeErrorCode == FileNotFound ? $"{executable} was not found" : $"{executable} cannot be run ({e.Message})";
            return null;
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(s_timeout))
            {
                process.Kill(entireProcessTree: true);
                failure = $"{executable} did not answer within {s_timeout.TotalSeconds:0} s";
                return null;
            }
            if (process.ExitCode != 0)
            {
                failure = $"{executable} failed with exit code {process.ExitCode}: {(error.Result + output.Result).Trim()}";
                return null;
            }
            failure = null;
            return output.Result;
        }
    }
}
