using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace Swin2SR.Core.Inference.CpuMemory;

/// <summary>
/// The memory ONNX Runtime's CPU sessions compute in, on Linux: requests from 512 KiB (a run's planned activations: a
/// 128x128 tile of the tiny x4 model asks about 150 MB) on transparent huge pages, kept for the next run instead of
/// going back to the operating system. ONNX Runtime's own arena takes small pages from the C heap, and each
/// session starts a new arena: every run of the cmdlet faulted its activations in again, 4 KiB at a time (37,500
/// faults, about 0.45 s of a 0.9 s run on Set5's thumbnails on the build machine). Registered once per process with
/// ONNX Runtime's environment; a session uses it with <c>session.use_env_allocators</c>. Where
/// <see cref="HugePageMappings.WhyNot"/> says so (not Linux, strict overcommit, a limited address space,
/// SWIN2SR_HUGE_PAGES=0), and for runs beyond <see cref="ITileRunner.RunPixelLimit"/>, sessions keep ONNX
/// Runtime's arena: this allocator cannot report a failure.
/// </summary>
public static unsafe class HugePageAllocator
{
    // OrtAllocator as of C API version 16: later members (Reserve, statistics, streams) are read only from an
    // allocator that declares a later version.
    [StructLayout(LayoutKind.Sequential)]
    private struct OrtAllocator
    {
        public uint Version;
        public delegate* unmanaged<OrtAllocator*, nuint, void*> Alloc;
        public delegate* unmanaged<OrtAllocator*, void*, void> Free;
        public delegate* unmanaged<OrtAllocator*, nint> Info;
    }

    /// <summary>
    /// Below this a request goes to the C heap, which reuses what was freed. Above it the C heap maps fresh memory for
    /// each request, or trims its heap when it is freed: a 72x72 tile faulted 2,400-8,400 pages a run in activations
    /// of just under 1 MB. A quarter of a huge page leaves at most 1.75 MiB of a block unused.
    /// </summary>
    internal const long LargeRequestBytes = 512L << 10;
    // ONNX Runtime's CPU allocator aligns to 64 bytes (a cache line, and what its vector kernels assume).
    private const nuint SmallAlignment = 64;

    private static readonly object Gate = new();
    private static readonly ReusableBlocks Blocks = new(HugePageMappings.Unmap);
    private static readonly Lazy<string?> Registration = new(Register);
    private static OrtMemoryInfo? _memoryInfo; // kept for the process's life: ONNX Runtime asks for it at any time
    private static long _mapped;

    /// <summary>
    /// Whether CPU sessions can compute in this memory: registers it on first call (once per process).
    /// <paramref name="reason"/> says why not, when not.
    /// </summary>
    public static bool TryEnable(out string? reason)
    {
        reason = HugePageMappings.WhyNot ?? Registration.Value;
        return reason is null;
    }

    /// <summary>A session's run ended: blocks that have waited long for a request go back (<see cref="ReusableBlocks.RunEnded"/>).</summary>
    public static void RunEnded()
    {
        lock (Gate)
            Blocks.RunEnded();
    }

    /// <summary>Gives the blocks no session holds back to the operating system (a model was closed).</summary>
    public static void ReleaseFree()
    {
        lock (Gate)
            Blocks.ReleaseFree();
    }

    /// <summary>What the allocator holds now, and how often a run's request was served without a new mapping.</summary>
    internal static (long InUseBytes, long FreeBytes, long Mapped, long Reused) Statistics()
    {
        lock (Gate)
            return (Blocks.InUseBytes, Blocks.FreeBytes, _mapped, Blocks.Reused);
    }

    private static string? Register()
    {
        try
        {
            _memoryInfo = new OrtMemoryInfo(OrtMemoryInfo.allocatorCPU, OrtAllocatorType.DeviceAllocator, 0, OrtMemType.Default);
            // Never freed: ONNX Runtime's environment keeps the pointer for the process's life.
            var allocator = (OrtAllocator*)NativeMemory.AllocZeroed((nuint)sizeof(OrtAllocator));
            allocator->Version = 16;
            allocator->Alloc = &Alloc;
            allocator->Free = &Free;
            allocator->Info = &Info;
            return OrtApiTable.RegisterAllocator(allocator);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or OnnxRuntimeException)
        {
            return e.Message;
        }
    }

    // Called by ONNX Runtime on its own threads: nothing here may throw.
    [UnmanagedCallersOnly]
    private static void* Alloc(OrtAllocator* self, nuint size)
    {
        if ((long)size < LargeRequestBytes)
            return NativeMemory.AlignedAlloc(Math.Max(size, 1), SmallAlignment);
        lock (Gate)
        {
            if (Blocks.TryTake((long)size, out nint reused))
                return (void*)reused;
        }
        if (HugePageMappings.Map((long)size) is not { } block)
            return null; // not expected where HugePageMappings allows itself (it maps with MAP_NORESERVE)
        lock (Gate)
        {
            Blocks.Add(block);
            _mapped++;
        }
        return (void*)block.Address;
    }

    [UnmanagedCallersOnly]
    private static void Free(OrtAllocator* self, void* pointer)
    {
        if (pointer == null)
            return;
        lock (Gate)
        {
            if (Blocks.TryReturn((nint)pointer))
                return;
        }
        NativeMemory.AlignedFree(pointer);
    }

    [UnmanagedCallersOnly]
    private static nint Info(OrtAllocator* self) => _memoryInfo!.DangerousGetHandle();
}
