using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Swin2SR.Core.Inference.Devices;

/// <summary>A native library the CUDA provider needs, and what provides it.</summary>
public sealed record CudaLibrary(string File, string ProvidedBy);

/// <summary>
/// The native libraries ONNX Runtime 1.31's CUDA provider needs, found by loading each the way the provider would:
/// the provider reports only the first one it misses, while a user fixing a machine wants the whole list at once.
/// The list mirrors the provider libraries of Microsoft.ML.OnnxRuntime.Gpu 1.31.0 (their imports, read with
/// readelf -d and objdump -p, plus cuDNN, which the provider opens by name on first use); a new package major
/// version (CUDA 14, cuDNN 10) changes it.
/// </summary>
public static class CudaLibraries
{
    private const string Driver = "the NVIDIA driver";
    private const string Cudnn = "cuDNN 9 for CUDA 13";

    public static IReadOnlyList<CudaLibrary> Required { get; } = OperatingSystem.IsWindows()
        ?
        [
            new("nvcuda.dll", Driver),
            new("cublas64_13.dll", "cuBLAS 13"),
            new("cublasLt64_13.dll", "cuBLAS 13"),
            new("cudnn64_9.dll", Cudnn),
        ]
        :
        [
            new("libcuda.so.1", Driver),
            new("libcudart.so.13", "the CUDA 13 runtime"),
            new("libcublas.so.13", "cuBLAS 13"),
            new("libcublasLt.so.13", "cuBLAS 13"),
            new("libcurand.so.10", "cuRAND of CUDA 13"),
            new("libcudnn.so.9", Cudnn),
        ];

    /// <summary>Those of <see cref="Required"/> that cannot be loaded in this process.</summary>
    public static IReadOnlyList<CudaLibrary> Missing() => Required.Where(library => !CanLoad(library.File)).ToList();

    /// <summary>A sentence naming the missing libraries and what to install, for an error or a warning.</summary>
    public static string Explain(IReadOnlyList<CudaLibrary> missing)
    {
        if (missing.Count == 0)
            return "";
        string names = string.Join(", ", missing.Select(l => $"{l.File} ({l.ProvidedBy})"));
        if (missing.All(l => l.ProvidedBy == Driver))
            return $"{names} cannot be found: install the NVIDIA driver.";
        string search = OperatingSystem.IsWindows() ? "PATH" : "LD_LIBRARY_PATH";
        string folders = OperatingSystem.IsWindows() ? "bin" : "lib";
        string driver = missing.Any(l => l.ProvidedBy == Driver) ? "the NVIDIA driver, " : "";
        return $"{names} cannot be found. Install {driver}CUDA 13 and cuDNN 9 (the CUDA Toolkit 13 and cuDNN 9 for CUDA 13, "
            + $"or `pip install nvidia-cuda-runtime nvidia-cublas nvidia-curand nvidia-cudnn-cu13`) and add their {folders} "
            + $"folders to {search}.";
    }

    private static bool CanLoad(string file)
    {
        foreach (string candidate in Candidates(file))
        {
            if (NativeLibrary.TryLoad(candidate, out IntPtr handle))
            {
                NativeLibrary.Free(handle);
                return true;
            }
        }
        return false;
    }

    // Windows also looks for a DLL's imports beside the DLL itself: beside ONNX Runtime, where a user may have copied them.
    private static IEnumerable<string> Candidates(string file)
    {
        yield return file;
        if (OperatingSystem.IsWindows() && OnnxRuntimeDirectory() is { } directory)
            yield return Path.Combine(directory, file);
    }

    private static string? OnnxRuntimeDirectory()
    {
        using var process = Process.GetCurrentProcess();
        return process.Modules.Cast<ProcessModule>()
            .Where(m => string.Equals(m.ModuleName, "onnxruntime.dll", StringComparison.OrdinalIgnoreCase))
            .Select(m => Path.GetDirectoryName(m.FileName))
            .FirstOrDefault();
    }
}
