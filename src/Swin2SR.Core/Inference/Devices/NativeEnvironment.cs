using System.Runtime.InteropServices;

namespace Swin2SR.Core.Inference.Devices;

/// <summary>
/// Environment variables as native libraries (the CUDA runtime) see them. On Linux and macOS .NET keeps its own
/// copy of the environment: <c>$env:CUDA_VISIBLE_DEVICES = '1'</c> in pwsh changes what .NET and child processes
/// see, but not what CUDA reads in this process. Reading through libc's getenv gives CUDA's view.
/// </summary>
internal static unsafe class NativeEnvironment
{
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
