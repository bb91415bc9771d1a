using Swin2SR.Bench;

// Usage: dotnet run -c Release --project bench/Swin2SR.Bench -- <benchmark> [options]
var benchmarks = new Dictionary<string, Func<string[], int>>(StringComparer.OrdinalIgnoreCase)
{
    ["jobstore"] = JobStoreBenchmark.Run,
    ["engine"] = EngineBenchmark.Run,
    ["postgres"] = PostgresStoreBenchmark.Run,
    ["startup"] = StartupBenchmark.Run,
    ["throughput"] = DeviceThroughputBenchmark.Run,
    ["gate"] = GateCalibration.Run,
    ["memory"] = MemoryBenchmark.Run,
    ["tiling"] = TilingBenchmark.Run,
    ["png"] = PngEncodeBenchmark.Run,
    ["jpeg"] = JpegDecodeBenchmark.Run,
    ["pagefault"] = PageFaultBenchmark.Run,
    ["half"] = HalfConversionBenchmark.Run,
    ["writerfuzz"] = WriterFuzz.Run,
};
if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var benchmark))
{
    Console.Error.WriteLine($"usage: Swin2SR.Bench <{string.Join('|', benchmarks.Keys)}> [options]");
    return 2;
}
return benchmark(args[1..]);
