using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Devices;

namespace Swin2SR.Bench;

/// <summary>
/// CPU start-up of a model's session, with and without the optimized-graph cache, and what graph optimization
/// buys at run time. Each start is timed in this process after ONNX Runtime itself was started (its environment,
/// thread pools and kernel registry are made once per process, whatever the model): the figures are what one
/// model's session costs. Medians of --repeat starts.
/// </summary>
internal static class StartupBenchmark
{
    /// <summary>Usage: startup MODEL.onnx... [--repeat 3] [--threads cores] [--tile 32] [--runs 3]</summary>
    public static int Run(string[] args)
    {
        var options = BenchOptions.Parse(args);
        if (options.Arguments.Count == 0)
        {
            Console.Error.WriteLine("usage: Swin2SR.Bench startup MODEL.onnx... [--repeat 3] [--threads N] [--tile 32] [--runs 3]");
            return 2;
        }
        int repeat = options.Int("repeat", 3);
        int threads = options.Int("threads", Environment.ProcessorCount);
        int tile = options.Int("tile", 32);
        int runs = options.Int("runs", 3);
        string folder = Path.Combine(Path.GetTempPath(), "swin2sr-startup-" + Guid.NewGuid().ToString("N"));
        var cache = new OptimizedGraphCache(folder);
        try
        {
            Console.WriteLine($"ONNX Runtime {ExecutionProviders.OnnxRuntimeVersion}, {threads} intra-op threads, {Environment.ProcessorCount} logical cores, medians of {repeat} starts");
            using (TileModel.LoadCpu(options.Arguments[0], 1)) { } // starts ONNX Runtime itself, outside the figures
            foreach (string model in options.Arguments)
                Measure(model, cache, repeat, threads, tile, runs);
            return 0;
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    private static void Measure(string model, OptimizedGraphCache cache, int repeat, int threads, int tile, int runs)
    {
        string entry = cache.EntryPath(model, "cpu");
        // The machine is shared: conditions take turns, so that a busy spell slows all of them alike.
        var starts = Interleaved(repeat,
            ("no graph optimization", () => CreateRaw(model, threads, GraphOptimizationLevel.ORT_DISABLE_ALL).Dispose()),
            ("optimized (ORT_ENABLE_ALL), no cache", () => TileModel.LoadCpu(model, threads).Dispose()),
            ("cache empty (write, then load)", () =>
            {
                if (File.Exists(entry))
                    File.Delete(entry);
                TileModel.LoadCpu(model, threads, cache).Dispose();
            }),
            ("cached graph (as TileModel loads it)", () => TileModel.LoadCpu(model, threads, cache).Dispose()),
            ("cached graph, loaded unoptimized", () => CreateRaw(entry, threads, GraphOptimizationLevel.ORT_DISABLE_ALL).Dispose()));

        // Run time at each optimization level, and of the cached graph (saved at EXTENDED, loaded at ALL).
        var sessions = new[] { GraphOptimizationLevel.ORT_DISABLE_ALL, GraphOptimizationLevel.ORT_ENABLE_BASIC, GraphOptimizationLevel.ORT_ENABLE_EXTENDED, GraphOptimizationLevel.ORT_ENABLE_ALL }
            .Select(level => (Name: level.ToString(), Session: CreateRaw(model, threads, level)))
            .Append((Name: "cached graph", Session: CreateRaw(entry, threads, GraphOptimizationLevel.ORT_ENABLE_ALL)))
            .ToList();
        List<(string Name, double Ms)> runTimes;
        try
        {
            runTimes = Interleaved(runs, sessions.Select(s => (s.Name, Runner(s.Session, tile))).ToArray());
        }
        finally
        {
            sessions.ForEach(s => s.Session.Dispose());
        }

        Console.WriteLine();
        Console.WriteLine($"{Path.GetFileName(model)} ({new FileInfo(model).Length / 1e6:0.0} MB; cached graph {new FileInfo(entry).Length / 1e6:0.0} MB)");
        foreach (var (name, ms) in starts)
            Console.WriteLine($"  start, {name,-38} {ms,10:0.0} ms   ({starts[1].Ms / ms:0.00}x the speed of an uncached start)");
        foreach (var (name, ms) in runTimes)
            Console.WriteLine($"  run [1,3,{tile},{tile}], {name,-31} {ms,10:0.00} ms   ({runTimes[0].Ms / ms:0.00}x the unoptimized speed)");
    }

    /// <summary>Median milliseconds of each action over <paramref name="rounds"/> rounds in which every action runs once, in turn.</summary>
    private static List<(string Name, double Ms)> Interleaved(int rounds, params (string Name, Action Run)[] actions)
    {
        var times = actions.Select(_ => new List<double>()).ToList();
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < actions.Length; i++)
            {
                var clock = Stopwatch.StartNew();
                actions[i].Run();
                times[i].Add(clock.Elapsed.TotalMilliseconds);
            }
        }
        return actions.Select((a, i) => (a.Name, Statistics.Median(times[i]))).ToList();
    }

    private static InferenceSession CreateRaw(string model, int threads, GraphOptimizationLevel level)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = level, IntraOpNumThreads = threads, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        return new InferenceSession(model, options);
    }

    /// <summary>One batch of one tile through <paramref name="session"/>, after a first run (allocations, prepacking) that is not timed.</summary>
    private static Action Runner(InferenceSession session, int tile)
    {
        var contract = ModelContract.Read(session, "");
        var input = new float[3 * tile * tile];
        for (int i = 0; i < input.Length; i++)
            input[i] = (i * 7919 % 1000) / 1000f;
        var value = OrtValue.CreateTensorValueFromMemory(input, [1, 3, tile, tile]);
        var runOptions = new RunOptions();
        void RunOnce()
        {
            using var outputs = session.Run(runOptions, [contract.InputName], [value], [contract.OutputName]);
        }
        RunOnce();
        return RunOnce;
    }
}
