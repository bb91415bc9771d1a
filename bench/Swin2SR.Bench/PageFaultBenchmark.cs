using System.Diagnostics;
using System.Runtime.InteropServices;
using Swin2SR.Core.Inference.CpuMemory;

namespace Swin2SR.Bench;

/// <summary>
/// What memory fresh from the operating system costs to touch on this machine, per 4 KiB page, against touching it
/// again. Every ONNX Runtime session grows its arena from fresh memory, so on a virtual machine where a page fault
/// is slow this was a fixed cost of every run, until the product's CPU sessions computed in huge pages (Linux), which
/// are measured the same way: two fresh mappings in turn (the first one's pages may be new to the host as well).
/// </summary>
internal static class PageFaultBenchmark
{
    /// <summary>Usage: pagefault [--mib 1024]</summary>
    public static unsafe int Run(string[] args)
    {
        var options = BenchOptions.Parse(args);
        nuint bytes = (nuint)options.Int("mib", 1024) << 20;
        const int page = 4096;
        byte* memory = (byte*)NativeMemory.Alloc(bytes);
        try
        {
            var clock = Stopwatch.StartNew();
            for (nuint i = 0; i < bytes; i += page)
                memory[i] = 1;
            double fresh = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            for (nuint i = 0; i < bytes; i += page)
                memory[i] = 2;
            double again = clock.Elapsed.TotalMilliseconds;
            double pages = bytes / page;
            Console.WriteLine($"{bytes >> 20} MiB fresh: {fresh:0} ms ({fresh * 1000 / pages:0.00} us a page); touched again: {again:0} ms");
            if (HugePageMappings.WhyNot is { } why)
            {
                Console.WriteLine($"huge pages not measured: {why}");
                return 0;
            }
            for (int mapping = 1; mapping <= 2; mapping++)
                Console.WriteLine($"{bytes >> 20} MiB fresh on huge pages, mapping {mapping}: {TouchHugePages((long)bytes, page):0} ms");
            return 0;
        }
        finally
        {
            NativeMemory.Free(memory);
        }
    }

    private static unsafe double TouchHugePages(long bytes, int page)
    {
        var block = HugePageMappings.Map(bytes) ?? throw new OutOfMemoryException($"{bytes >> 20} MiB could not be mapped");
        try
        {
            var clock = Stopwatch.StartNew();
            byte* memory = (byte*)block.Address;
            for (long i = 0; i < bytes; i += page)
                memory[i] = 1;
            return clock.Elapsed.TotalMilliseconds;
        }
        finally
        {
            HugePageMappings.Unmap(block);
        }
    }
}
