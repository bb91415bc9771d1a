using System.Diagnostics;
using System.Text.Json;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Devices;
using Swin2SR.Core.Tiling;

namespace Swin2SR.Bench;

/// <summary>
/// Images per second of whole images through the model on the selected devices (the GPU benchmark: 512x512 in,
/// 2048x2048 out with a full-size x4 Swin2SR). Each device lane runs batches of --size x --size images on its own thread
/// for --seconds, after warm-up runs (cuDNN's exhaustive search tunes each new shape on its first run); the GPUs'
/// busy share is sampled through NVML meanwhile. One line per batch size, and a JSON file with every figure.
/// Prints the providers and the devices first, and exits with 3 when -device cuda cannot be used, so a remote run
/// fails loudly rather than measuring the CPU.
/// </summary>
internal static class DeviceThroughputBenchmark
{
    /// <summary>Usage: throughput --model M.onnx [--device cuda|cpu|auto] [--precision fp32|fp16] [--ids 0,1] [--cores N] [--lanes N] [--size 512] [--batches 1,2,4,8] [--seconds 15] [--warmup 2] [--json F]</summary>
    public static int Run(string[] args)
    {
        var options = BenchOptions.Parse(args);
        if (options.Text("model") is not { } model)
        {
            Console.Error.WriteLine("usage: Swin2SR.Bench throughput --model M.onnx [--device cuda|cpu|auto] [--precision fp32|fp16] [--ids 0,1] [--cores N] [--lanes N] [--size 512] [--batches 1,2,4,8] [--seconds 15] [--warmup 2] [--json results.json]");
            return 2;
        }
        var kind = Enum.Parse<DeviceKind>(options.Text("device") ?? "cuda", ignoreCase: true);
        int size = options.Int("size", 512);
        var batches = options.Ints("batches") ?? [1, 2, 4, 8];
        double seconds = options.Double("seconds", 15);
        int warmup = options.Int("warmup", 2);
        var precision = Enum.Parse<Precision>(options.Text("precision") ?? "fp32", ignoreCase: true);

        PrintMachine();
        var cache = new OptimizedGraphCache(Path.Combine(Path.GetTempPath(), "swin2sr-bench-cache"));
        var clock = Stopwatch.StartNew();
        OpenedDevices opened;
        try
        {
            opened = new DeviceSelection(kind, options.Ints("ids")) { CpuCores = options.Int("cores", Environment.ProcessorCount), CpuLanes = options.Text("lanes") is null ? null : options.Int("lanes", 1), Cache = cache, Precision = precision }.Open(model);
        }
        catch (DeviceUnavailableException e)
        {
            Console.Error.WriteLine($"FAILED: {e.Message}");
            return 3;
        }
        double startSeconds = clock.Elapsed.TotalSeconds;
        foreach (string warning in opened.Warnings)
            Console.WriteLine($"WARNING: {warning}");
        var devices = string.Join(",", opened.Runners.Select(r => r.Device));
        Console.WriteLine($"sessions on {devices} ({opened.Runners[0].Precision}) in {startSeconds:0.0} s; {size}x{size} -> {size * opened.Runners[0].Contract.Scale}x{size * opened.Runners[0].Contract.Scale}");
        Console.WriteLine($"{"devices",-12} {"batch",5} {"tile",5} {"images/s",9} {"ms/batch",9} {"GPU busy",9}");
        var rows = new List<Dictionary<string, object?>>();
        try
        {
            foreach (int batch in batches)
            {
                var row = Measure(opened.Runners, batch, size, seconds, warmup);
                row["devices"] = devices;
                rows.Add(row);
                Console.WriteLine($"{devices,-12} {batch,5} {size,5} {row["imagesPerSecond"],9:0.00} {row["msPerBatch"],9:0.0} {(row["gpuBusyPercent"] is double busy ? $"{busy:0}%" : "-"),9}");
                if (row["outOfMemory"] is true)
                    break;
            }
        }
        finally
        {
            foreach (var runner in opened.Runners)
                runner.Dispose();
        }
        if (options.Text("json") is { } json)
        {
            var document = new { model, size, kind = kind.ToString(), precision = opened.Runners.Count > 0 ? precision.ToString() : null, startSeconds, onnxRuntime = ExecutionProviders.OnnxRuntimeVersion, warnings = opened.Warnings, rows };
            File.WriteAllText(json, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
        }
        return rows.Count > 0 && rows.Any(r => r["outOfMemory"] is false) ? 0 : 1;
    }

    private static void PrintMachine()
    {
        Console.WriteLine($"ONNX Runtime {ExecutionProviders.OnnxRuntimeVersion}; providers: {string.Join(", ", ExecutionProviders.Available())}");
        var (devices, notes) = DeviceInventory.Take();
        foreach (var device in devices)
        {
            string memory = device.TotalBytes is long total ? $"{(device.FreeBytes ?? 0) / 1e9:0.0}/{total / 1e9:0.0} GB free" : "";
            Console.WriteLine($"  {device.Kind} {device.Index}: {device.Name} {memory} {(device.Usable ? "usable" : "NOT USABLE: " + device.Reason)}");
        }
        foreach (string note in notes)
            Console.WriteLine($"  note: {note}");
    }

    private static Dictionary<string, object?> Measure(IReadOnlyList<ITileRunner> runners, int batch, int size, double seconds, int warmup)
    {
        int scale = runners[0].Contract.Scale;
        long images = 0, batchesRun = 0;
        long stopTicks = long.MaxValue; // set once every device is warm
        bool outOfMemory = false;
        using var sampler = new GpuBusySampler();
        // A thread per lane: a GPU has one, the CPU one per core it runs tiles on.
        var lanes = runners.SelectMany(runner => Enumerable.Repeat(runner, runner.Lanes)).ToList();
        var warm = new Barrier(lanes.Count + 1);
        var threads = lanes.Select(runner => new Thread(() =>
        {
            var input = new float[batch * 3 * size * size];
            var random = new Random(1);
            for (int i = 0; i < input.Length; i++)
                input[i] = random.NextSingle();
            var output = new float[batch * 3 * size * scale * size * scale];
            bool measuring = false;
            try
            {
                for (int i = 0; i < warmup; i++)
                    runner.Run(input, output, batch, TileShape.Square(size), runner.Precision);
                warm.SignalAndWait();
                measuring = true;
                while (DateTime.UtcNow.Ticks < Volatile.Read(ref stopTicks))
                {
                    runner.Run(input, output, batch, TileShape.Square(size), runner.Precision);
                    Interlocked.Add(ref images, batch);
                    Interlocked.Increment(ref batchesRun);
                }
            }
            catch (DeviceOutOfMemoryException)
            {
                outOfMemory = true;
                if (!measuring)
                    warm.RemoveParticipant();
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        warm.SignalAndWait();
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref stopTicks, DateTime.UtcNow.AddSeconds(seconds).Ticks);
        sampler.Start();
        threads.ForEach(t => t.Join());
        double elapsed = clock.Elapsed.TotalSeconds;
        double? busy = sampler.Stop();
        return new Dictionary<string, object?>
        {
            ["batch"] = batch,
            ["tile"] = size,
            ["images"] = images,
            ["seconds"] = elapsed,
            ["imagesPerSecond"] = images / elapsed,
            ["msPerBatch"] = batchesRun > 0 ? 1000 * elapsed * runners.Count / batchesRun : double.NaN,
            ["gpuBusyPercent"] = busy,
            ["outOfMemory"] = outOfMemory,
        };
    }
}
