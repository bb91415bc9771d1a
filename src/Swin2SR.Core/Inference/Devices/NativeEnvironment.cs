using System.Runtime.InteropServices;

namespace Swin2SR.Core.Inference.Devices;

/// <summary>
/// Environment variables as native libraries (the CUDA runtime) see them. On Linux and macOS .NET keeps its own
/// copy of the environment: <c>$env:CUDA_VISIBLE_DEVICES = '1'</c> in pwsh changes what .NET and child processes
/// see, but not what CUDA reads in this process. Reading through libc's getenv gives CUDA's view, and setting through
/// its setenv is what ONNX Runtime reads.
/// </summary>
internal static unsafe class NativeEnvironment
{
    /// <summary>Sets <paramref name="name"/> for native libraries (and, on Windows, for .NET too).</summary>
    public static void Set(string name, string value)
    {
        if (OperatingSystem.IsWindows() || !NativeLibrary.TryGetExport(NativeLibrary.GetMainProgramHandle(), "setenv", out IntPtr setenv))
        {
            Environment.SetEnvironmentVariable(name, value);
            return;
        }
        IntPtr nameUtf8 = Marshal.StringToCoTaskMemUTF8(name), valueUtf8 = Marshal.StringToCoTaskMemUTF8(value);
        try
        {
            ((delegate* unmanaged<IntPtr, IntPtr, int, int>)setenv)(nameUtf8, valueUtf8, 1);
        }
        finally
        {
            Marshal.FreeCoTaskMem(nameUtf8);
            Marshal.FreeCoTaskMem(valueUtf8);
        }
    }

    /// <summary>Sets <paramref name="name"/> for native libraries to <paramref name="value"/> unless it is set there already (by the user).</summary>
    public static void SetIfUnset(string name, string value)
    {
        if (Get(name) is null)
            Set(name, value);
    }

    public static string? Get(string name)
    {
        if (OperatingSystem.IsWindows())
            return Environment.GetEnvironmentVariable(name); // one environment per process there
        // The host executable links libc, so its handle finds getenv whatever the libc is called (glibc, musl, macOS).
        if (!NativeLibrary.TryGetExport(NativeLibrary.GetMainProgramHandle(), "getenv", out IntPtr getenv))
            return Environment.GetEnvironmentVariable(name);
        IntPtr nameUtf8 = Marshal.StringToCoTaskMemUTF8(name);
        try
        {
            return Marshal.PtrToStringUTF8(((delegate* unmanaged<IntPtr, IntPtr>)getenv)(nameUtf8));
        }
        finally
        {
            Marshal.FreeCoTaskMem(nameUtf8);
        }
    }
}
