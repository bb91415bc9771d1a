using System.Runtime.InteropServices;

namespace Swin2SR.Core.Inference.Devices;

/// <summary>The CPU as a device: its name, the logical cores this process may use, and memory.</summary>
/// <param name="Cores">Logical cores available to this process (affinity and container limits applied).</param>
/// <param name="TotalBytes">Memory this process may use (a container's limit where there is one).</param>
/// <param name="FreeBytes">Memory available without swapping; null where the system does not say.</param>
public sealed record CpuInfo(string Name, int Cores, long TotalBytes, long? FreeBytes)
{
    public static CpuInfo Current() =>
        new(ReadName(), Environment.ProcessorCount, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, ReadAvailableMemory());

    private static string ReadName()
    {
        string? name = OperatingSystem.IsWindows()
            ? Environment.GetEnvironmentVariable("PROCESSOR_IDENTIFIER")
            : ReadLinuxField("/proc/cpuinfo", "model name");
        return string.IsNullOrWhiteSpace(name) ? RuntimeInformation.ProcessArchitecture.ToString() : name.Trim();
    }

    private static long? ReadAvailableMemory()
    {
        if (OperatingSystem.IsWindows())
            return WindowsMemory.Available();
        // "MemAvailable:   12345678 kB"
        string? field = ReadLinuxField("/proc/meminfo", "MemAvailable");
        return field is not null && long.TryParse(field.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], out long kib) ? kib * 1024 : null;
    }

    private static string? ReadLinuxField(string file, string key)
    {
        try
        {
            return File.ReadLines(file)
                .Select(line => line.Split(':', 2))
                .FirstOrDefault(parts => parts.Length == 2 && parts[0].Trim() == key)?[1].Trim();
        }
        catch (IOException)
        {
            return null; // not Linux, or /proc not mounted
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static class WindowsMemory
    {
        [StructLayout(LayoutKind.Sequential)]
        private struct MemoryStatusEx
        {
            public uint Length;
            public uint MemoryLoad;
            public ulong TotalPhys;
            public ulong AvailPhys;
            public ulong TotalPageFile;
            public ulong AvailPageFile;
            public ulong TotalVirtual;
            public ulong AvailVirtual;
            public ulong AvailExtendedVirtual;
        }

        [DllImport("kernel32", SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        private static extern bool GlobalMemoryStatusEx(ref MemoryStatusEx status);

        public static long? Available()
        {
            var status = new MemoryStatusEx { Length = (uint)Marshal.SizeOf<MemoryStatusEx>() };
            return GlobalMemoryStatusEx(ref status) ? (long)status.AvailPhys : null;
        }
    }
}
