using System.Diagnostics;
using System.Runtime.InteropServices;
using Swin2SR.Core.Inference;
using OrtHalf = Microsoft.ML.OnnxRuntime.Float16;

namespace Swin2SR.Bench;

/// <summary>
/// What the float16 conversions at a half-precision model's input and output cost (BoundaryTensor), against one
/// (Half) or (float) cast at a time, for one output of a tile: the two ways take turns, medians of the rounds.
/// </summary>
internal static class HalfConversionBenchmark
{
    /// <summary>Usage: half [--side 1088] [--rounds 15]: side is the output's (a 272 tile at x4 gives 1088).</summary>
    public static int Run(string[] args)
    {
        var options = BenchOptions.Parse(args);
        int side = options.Int("side", 1088), rounds = options.Int("rounds", 15);
        var random = new Random(1);
        var floats = Enumerable.Range(0, 3 * side * side).Select(_ => random.NextSingle()).ToArray();
        var halves = new OrtHalf[floats.Length];
        var back = new float[floats.Length];
        var casts = MemoryMarshal.Cast<OrtHalf, Half>(halves.AsSpan()).ToArray();
        var timings = new Dictionary<string, List<double>>
        {
            ["to half, a cast each"] = [], ["to half, BoundaryTensor"] = [], ["to float, a cast each"] = [], ["to float, BoundaryTensor"] = [],
        };
        void Time(string name, Action convert)
        {
            var clock = Stopwatch.StartNew();
            convert();
            timings[name].Add(clock.Elapsed.TotalMilliseconds);
        }
        for (int round = 0; round <= rounds; round++)
        {
            Time("to half, a cast each", () => { for (int i = 0; i < floats.Length; i++) casts[i] = (Half)floats[i]; });
            Time("to half, BoundaryTensor", () => BoundaryTensor.ToHalves(floats, halves));
            Time("to float, a cast each", () => { for (int i = 0; i < casts.Length; i++) back[i] = (float)casts[i]; });
            Time("to float, BoundaryTensor", () => BoundaryTensor.ToFloats(halves, back));
        }
        Console.WriteLine($"3x{side}x{side} values ({floats.Length / 1e6:0.0} M), median of {rounds} rounds after one warm-up:");
        foreach (var (name, milliseconds) in timings)
            Console.WriteLine($"  {name,-26} {Statistics.Median(milliseconds.Skip(1)),7:0.00} ms");
        return 0;
    }
}
