using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace Swin2SR.Core.Inference.CpuMemory;

/// <summary>
/// The few entries of ONNX Runtime's C API that its C# binding does not expose (a custom allocator for the
/// environment). The C API is a table of function pointers that only ever grows at its end, so an entry's slot never
/// changes; a test checks these slots against the binding's own copy of the table.
/// </summary>
internal static unsafe class OrtApiTable
{
    internal const int GetErrorMessageSlot = 2;
    internal const int ReleaseStatusSlot = 93;
    internal const int RegisterAllocatorSlot = 176;
    // The oldest table that has every slot above (ONNX Runtime 1.16); a newer runtime hands out the same table.
    private const uint ApiVersion = 16;

    /// <summary>
    /// Registers <paramref name="allocator"/> (an <c>OrtAllocator</c>) with the process's ONNX Runtime environment;
    /// sessions then use it with the config entry <c>session.use_env_allocators</c>. Returns why not, or null.
    /// </summary>
    public static string? RegisterAllocator(void* allocator)
    {
        nint api = Api();
        if (api == 0)
            return "this ONNX Runtime has no C API table of version 16";
        var register = (delegate* unmanaged<nint, void*, nint>)Slot(api, RegisterAllocatorSlot);
        nint status = register(Devices.OnnxEnvironment.Instance.DangerousGetHandle(), allocator);
        if (status == 0)
            return null;
        string message = Marshal.PtrToStringUTF8(((delegate* unmanaged<nint, nint>)Slot(api, GetErrorMessageSlot))(status)) ?? "unknown error";
        ((delegate* unmanaged<nint, void>)Slot(api, ReleaseStatusSlot))(status);
        return message;
    }

    private static nint Api()
    {
        // The library the binding itself loaded (through its own resolver and the module's load context).
        nint library = NativeLibrary.Load("onnxruntime", typeof(OrtEnv).Assembly, null);
        var getApiBase = (delegate* unmanaged<nint>)NativeLibrary.GetExport(library, "OrtGetApiBase");
        nint apiBase = getApiBase();
        // OrtApiBase: { const OrtApi* GetApi(uint32_t version); const char* GetVersionString(); }
        var getApi = (delegate* unmanaged<uint, nint>)*(nint*)apiBase;
        return getApi(ApiVersion);
    }

    private static nint Slot(nint api, int slot) => ((nint*)api)[slot];
}
