using System.Runtime.InteropServices;

namespace Swin2SR.Core.Inference.CpuMemory;

/// <summary>
/// Anonymous memory from Linux, 2 MiB aligned and marked for transparent huge pages (madvise mode, the default of
/// most distributions, only backs marked memory with them): one fault then maps 2 MiB instead of 4 KiB. On the build
/// machine (a virtual machine) a 4 KiB fault costs about 12 us: 1 GiB took 3.3 s to touch in small pages, 66 ms in
/// huge ones (docs/benchmarks.md, "CPU: tensors on huge pages").
/// </summary>
internal static unsafe class HugePageMappings
{
    public const long HugePage = 2L << 20;
    private const int ProtReadWrite = 0x1 | 0x2;
    // MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE: the same values on every Linux architecture .NET runs on.
    private const int MapPrivateAnonymousNoReserve = 0x02 | 0x20 | 0x4000;
    private const int LimitAddressSpace = 9; // RLIMIT_AS
    private const int MadviseHugePage = 14;

    // libc's, found through the host executable, which links it whatever it is called (glibc, musl).
    private static readonly delegate* unmanaged<nint, nuint, int, int, int, nint, nint> Mmap = (delegate* unmanaged<nint, nuint, int, int, int, nint, nint>)Export("mmap");
    private static readonly delegate* unmanaged<nint, nuint, int> Munmap = (delegate* unmanaged<nint, nuint, int>)Export("munmap");
    private static readonly delegate* unmanaged<nint, nuint, int, int> Madvise = (delegate* unmanaged<nint, nuint, int, int>)Export("madvise");
    private static readonly delegate* unmanaged<int, ulong*, int> GetRlimit = (delegate* unmanaged<int, ulong*, int>)Export("getrlimit");

    /// <summary>
    /// Why this process should not take its tensors' memory this way; null when it can. A mapping must not fail:
    /// ONNX Runtime ends the process when a custom allocator returns nothing. With MAP_NORESERVE an anonymous mapping
    /// fails only where the system counts every byte promised (vm.overcommit_memory = 2) or the process's address
    /// space is limited (ulimit -v); there ONNX Runtime's own arena, whose failures come back as errors, stays.
    /// </summary>
    public static string? WhyNot { get; } = FindWhyNot();

    /// <summary>Set to 0 before the first CPU session of a process, it keeps ONNX Runtime's arena (to compare, or to rule this out).</summary>
    public const string SwitchVariable = "SWIN2SR_HUGE_PAGES";

    /// <summary>At least <paramref name="size"/> bytes, rounded up to whole huge pages; null when the system has no memory to give.</summary>
    public static MappedBlock? Map(long size)
    {
        long usable = RoundUp(size, HugePage);
        // A mapping starts on a 4 KiB page; one huge page more leaves room to start on a 2 MiB boundary. The part
        // before it is never touched, so it takes address space only.
        long mappedLength = usable + HugePage;
        nint mappedBase = Mmap(0, (nuint)mappedLength, ProtReadWrite, MapPrivateAnonymousNoReserve, -1, 0);
        if (mappedBase == -1)
            return null;
        nint address = (nint)RoundUp(mappedBase, HugePage);
        Madvise(address, (nuint)usable, MadviseHugePage); // advice only: where huge pages are off the memory still works
        return new MappedBlock(address, usable, mappedBase, mappedLength);
    }

    private static long RoundUp(long value, long multiple) => (value + multiple - 1) & ~(multiple - 1);

    public static void Unmap(MappedBlock block) => Munmap(block.MappedBase, (nuint)block.MappedLength);

    private static string? FindWhyNot()
    {
        if (!OperatingSystem.IsLinux())
            return "huge pages are asked for on Linux only";
        if (Environment.GetEnvironmentVariable(SwitchVariable) == "0")
            return $"{SwitchVariable} is 0";
        if (Mmap == null || Munmap == null || Madvise == null || GetRlimit == null)
            return "libc's mmap, munmap, madvise or getrlimit was not found";
        if (ReadSetting("/proc/sys/vm/overcommit_memory") == "2")
            return "the system counts every byte promised (vm.overcommit_memory = 2)";
        ulong* limit = stackalloc ulong[2]; // struct rlimit { rlim_t rlim_cur, rlim_max; }
        if (GetRlimit(LimitAddressSpace, limit) != 0 || limit[0] != ulong.MaxValue) // RLIM_INFINITY
            return "the process's address space is limited (ulimit -v)";
        return null;
    }

    private static string? ReadSetting(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void* Export(string name) =>
        OperatingSystem.IsLinux() && NativeLibrary.TryGetExport(NativeLibrary.GetMainProgramHandle(), name, out nint address) ? (void*)address : null;
}
