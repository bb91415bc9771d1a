using System.Runtime.InteropServices;

namespace Swin2SR.Core.Inference.Devices;

/// <summary>
/// Reads the GPUs through NVML, the driver's own management library (what nvidia-smi uses), loaded with
/// <see cref="NativeLibrary.TryLoad(string, out IntPtr)"/> so that a machine without the NVIDIA driver is an
/// answer (no GPUs, and why), not an exception. Functions are called through pointers taken from the loaded
/// library, so a missing or old NVML never surfaces as a DllNotFoundException or EntryPointNotFoundException.
/// </summary>
public static unsafe class Nvml
{
    private const int Success = 0;
    private const int NameBufferSize = 96; // NVML_DEVICE_NAME_V2_BUFFER_SIZE

    [StructLayout(LayoutKind.Sequential)]
    private struct Memory
    {
        public ulong Total;
        public ulong Free;
        public ulong Used;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Utilization
    {
        public uint Gpu;
        public uint Memory;
    }

    /// <summary>Where the driver installs NVML: on the loader's path on Linux, in System32 or NVSMI on Windows.</summary>
    public static IReadOnlyList<string> DefaultLibraryNames { get; } = OperatingSystem.IsWindows()
        ? ["nvml.dll", Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles), "NVIDIA Corporation", "NVSMI", "nvml.dll")]
        : ["libnvidia-ml.so.1"];

    /// <summary>The GPUs NVML sees; null when NVML is missing or fails, with the reason added to <paramref name="notes"/>.</summary>
    public static IReadOnlyList<GpuInfo>? TryRead(IReadOnlyList<string> libraryNames, List<string> notes)
    {
        IntPtr library = IntPtr.Zero;
        if (!libraryNames.Any(name => NativeLibrary.TryLoad(name, out library)))
        {
            notes.Add($"NVML ({string.Join(" or ", libraryNames)}) cannot be loaded: the NVIDIA driver is not installed");
            return null;
        }
        try
        {
            var gpus = Read(library, out string? reason);
            if (reason is not null)
                notes.Add(reason);
            return gpus;
        }
        finally
        {
            NativeLibrary.Free(library);
        }
    }

    private static IReadOnlyList<GpuInfo>? Read(IntPtr library, out string? reason)
    {
        if (!TryExport(library, "nvmlInit_v2", out var init) || !TryExport(library, "nvmlShutdown", out var shutdown)
            || !TryExport(library, "nvmlDeviceGetCount_v2", out var getCount) || !TryExport(library, "nvmlDeviceGetHandleByIndex_v2", out var getHandle)
            || !TryExport(library, "nvmlDeviceGetName", out var getName) || !TryExport(library, "nvmlDeviceGetMemoryInfo", out var getMemory)
            || !TryExport(library, "nvmlDeviceGetUtilizationRates", out var getUtilization) || !TryExport(library, "nvmlErrorString", out var errorString))
        {
            reason = "NVML is too old: it lacks the functions of NVML 5 (driver 319)";
            return null;
        }
        var describe = (delegate* unmanaged<int, byte*>)errorString;
        int status = ((delegate* unmanaged<int>)init)();
        if (status != Success)
        {
            reason = $"NVML cannot start: {Describe(describe, status)}";
            return null;
        }
        try
        {
            uint count;
            status = ((delegate* unmanaged<uint*, int>)getCount)(&count);
            if (status != Success)
            {
                reason = $"NVML cannot count the GPUs: {Describe(describe, status)}";
                return null;
            }
            var gpus = new List<GpuInfo>((int)count);
            var name = stackalloc byte[NameBufferSize];
            for (uint index = 0; index < count; index++)
            {
                IntPtr device = IntPtr.Zero;
                Memory memory = default;
                Utilization utilization = default;
                status = ((delegate* unmanaged<uint, IntPtr*, int>)getHandle)(index, &device);
                if (status == Success)
                    status = ((delegate* unmanaged<IntPtr, byte*, uint, int>)getName)(device, name, NameBufferSize);
                if (status == Success)
                    status = ((delegate* unmanaged<IntPtr, Memory*, int>)getMemory)(device, &memory);
                if (status != Success)
                {
                    reason = $"NVML cannot read GPU {index}: {Describe(describe, status)}";
                    return null;
                }
                // Utilization is not supported on every board (some older Quadro and Tesla models); that is not a failure.
                int? busy = ((delegate* unmanaged<IntPtr, Utilization*, int>)getUtilization)(device, &utilization) == Success ? (int)utilization.Gpu : null;
                gpus.Add(new GpuInfo((int)index, Marshal.PtrToStringUTF8((IntPtr)name) ?? "", (long)memory.Total, (long)memory.Free, busy, GpuInfoSource.Nvml));
            }
            reason = null;
            return gpus;
        }
        finally
        {
            ((delegate* unmanaged<int>)shutdown)();
        }
    }

    /// <summary>
    /// An NVML session kept open on one GPU (driver index <paramref name="index"/>) to read its memory again and again:
    /// starting NVML each time would cost tens of milliseconds around every batch the batch sizer tries. Null when
    /// NVML cannot be loaded, started or asked for that GPU.
    /// </summary>
    public static MemoryReader? TryOpenMemoryReader(IReadOnlyList<string> libraryNames, int index)
    {
        IntPtr library = IntPtr.Zero;
        if (!libraryNames.Any(name => NativeLibrary.TryLoad(name, out library)))
            return null;
        if (TryExport(library, "nvmlInit_v2", out var init) && TryExport(library, "nvmlShutdown", out var shutdown)
            && TryExport(library, "nvmlDeviceGetHandleByIndex_v2", out var getHandle) && TryExport(library, "nvmlDeviceGetMemoryInfo", out var getMemory)
            && ((delegate* unmanaged<int>)init)() == Success)
        {
            IntPtr device = IntPtr.Zero;
            if (((delegate* unmanaged<uint, IntPtr*, int>)getHandle)((uint)index, &device) == Success)
                return new MemoryReader(library, device, getMemory, shutdown);
            ((delegate* unmanaged<int>)shutdown)();
        }
        NativeLibrary.Free(library);
        return null;
    }

    /// <summary>One GPU's memory through an open NVML session; <see cref="Dispose"/> shuts the session.</summary>
    public sealed class MemoryReader : IDisposable
    {
        private readonly IntPtr _library;
        private readonly IntPtr _device;
        private readonly delegate* unmanaged<IntPtr, Memory*, int> _getMemory;
        private readonly delegate* unmanaged<int> _shutdown;
        private int _disposed;

        internal MemoryReader(IntPtr library, IntPtr device, IntPtr getMemory, IntPtr shutdown)
        {
            _library = library;
            _device = device;
            _getMemory = (delegate* unmanaged<IntPtr, Memory*, int>)getMemory;
            _shutdown = (delegate* unmanaged<int>)shutdown;
        }

        /// <summary>Free and total memory now; null when NVML does not answer (or the reader is closed).</summary>
        public DeviceMemory? Read()
        {
            Memory memory;
            return Volatile.Read(ref _disposed) == 0 && _getMemory(_device, &memory) == Success
                ? new DeviceMemory((long)memory.Free, (long)memory.Total)
                : null;
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
                return;
            _shutdown();
            NativeLibrary.Free(_library);
        }
    }

    private static bool TryExport(IntPtr library, string name, out IntPtr address) => NativeLibrary.TryGetExport(library, name, out address);

    private static string Describe(delegate* unmanaged<int, byte*> errorString, int status) =>
        $"{Marshal.PtrToStringUTF8((IntPtr)errorString(status))} (NVML error {status})";
}
