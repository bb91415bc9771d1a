using System.Diagnostics;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Pipeline;

namespace Swin2SR.Bench;

/// <summary>
/// Peak memory of one run over a folder of images: whether it depends on the number of inputs (it must not) and
/// on their size (bounded by the in-flight byte budget). One configuration per process, since the peak of a
/// process only grows; bench/Measure-Memory.ps1 runs the comparisons.
/// </summary>
internal static class MemoryBenchmark
{
    public static int Run(string[] args)
    {
        var options = BenchOptions.Parse(args);
        if (options.Arguments.Count < 2)
        {
            Console.Error.WriteLine("usage: memory <model.onnx> <input folder> [--budget-mib N (0: none)] [--in-flight 8]");
            return 2;
        }
        string model = options.Arguments[0];
        var inputs = Directory.GetFiles(options.Arguments[1]).Order(StringComparer.Ordinal).ToList();
        int budgetMib = options.Int("budget-mib", (int)(MemoryBudget.DefaultLimitBytes() >> 20));
        string output = Path.Combine(Path.GetTempPath(), "swin2sr-memory-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var session = TileModel.LoadCpu(model, Environment.ProcessorCount);
            var settings = new UpscaleOptions
            {
                Force = true,
                MinConsistencyPsnr = 0, // generated noise is no photo; the gate's cost stays in
                MaxImagesInFlight = options.Int("in-flight", UpscaleOptions.DefaultImagesInFlight),
                MaxBytesInFlight = budgetMib == 0 ? long.MaxValue : (long)budgetMib << 20,
            };
            var clock = Stopwatch.StartNew();
            var pipeline = UpscalePipeline.Start([session], OutputPlanner.Plan(inputs, output, OutputFormat.Png), settings, CancellationToken.None);
            int done = 0;
            while (pipeline.Results.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (pipeline.Results.TryRead(out var result))
                {
                    done += result.Status == UpscaleStatus.Succeeded ? 1 : throw new InvalidOperationException(result.Error?.Message);
                    File.Delete(result.Item.OutputPath); // the disk is not what is measured
                }
            }
            pipeline.Completion.GetAwaiter().GetResult();
            long peak = Process.GetCurrentProcess().PeakWorkingSet64;
            string budget = budgetMib == 0 ? "none" : $"{budgetMib} MiB";
            Console.WriteLine($"memory: {done} images from {options.Arguments[1]}, budget {budget}: peak RSS {peak >> 20} MiB, {done / clock.Elapsed.TotalSeconds:0.0} images/s");
            return 0;
        }
        finally
        {
            if (Directory.Exists(output))
                Directory.Delete(output, recursive: true);
        }
    }
}
