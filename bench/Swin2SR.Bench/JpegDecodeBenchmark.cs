using System.Diagnostics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Imaging;

namespace Swin2SR.Bench;

/// <summary>
/// What interpolating a JPEG's subsampled chroma (JpegChromaSmoothing) adds to decoding it: ImageSharp's decode alone
/// and the interpolation after it, in milliseconds per image, the two taking turns on the same bytes.
/// </summary>
internal static class JpegDecodeBenchmark
{
    /// <summary>Usage: jpeg IMAGE.jpg... [--repeat 5]</summary>
    public static int Run(string[] args)
    {
        var options = BenchOptions.Parse(args);
        if (options.Arguments.Count == 0)
        {
            Console.Error.WriteLine("usage: Swin2SR.Bench jpeg IMAGE.jpg... [--repeat 5]");
            return 2;
        }
        int repeat = options.Int("repeat", 5);
        Console.WriteLine($"{"image",-24} {"size",11} {"decode",10} {"chroma",10} {"ratio",6}");
        foreach (string path in options.Arguments)
        {
            byte[] data = File.ReadAllBytes(path);
            var decode = new List<double>();
            var smooth = new List<double>();
            int width = 0, height = 0;
            bool smoothed = false;
            for (int round = 0; round <= repeat; round++)
            {
                var clock = Stopwatch.StartNew();
                using var image = Image.Load<Rgba64>(data);
                double decoded = clock.Elapsed.TotalMilliseconds;
                smoothed = JpegChromaSmoothing.Smooth(image, data);
                if (round > 0) // the first round warms up
                {
                    decode.Add(decoded);
                    smooth.Add(clock.Elapsed.TotalMilliseconds - decoded);
                }
                (width, height) = (image.Width, image.Height);
            }
            double d = Statistics.Median(decode), s = Statistics.Median(smooth);
            Console.WriteLine($"{Path.GetFileName(path),-24} {width,5}x{height,-5} {d,7:0} ms {s,7:0} ms {(d + s) / d,6:0.00}{(smoothed ? "" : "  (not subsampled: nothing done)")}");
        }
        return 0;
    }
}
