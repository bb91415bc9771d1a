using System.Diagnostics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Swin2SR.Bench;

/// <summary>
/// What PNG's deflate level costs: milliseconds to encode and kilobytes written per level, for the RGB images
/// given (the product's outputs), the levels taking turns. Chose the product's level (OutputEncoding).
/// </summary>
internal static class PngEncodeBenchmark
{
    private static readonly PngCompressionLevel[] Levels = [PngCompressionLevel.Level1, PngCompressionLevel.Level3, PngCompressionLevel.Level6, PngCompressionLevel.Level9];

    /// <summary>Usage: png IMAGE.png... [--repeat 5]</summary>
    public static int Run(string[] args)
    {
        var options = BenchOptions.Parse(args);
        if (options.Arguments.Count == 0)
        {
            Console.Error.WriteLine("usage: Swin2SR.Bench png IMAGE.png... [--repeat 5]");
            return 2;
        }
        int repeat = options.Int("repeat", 5);
        Console.WriteLine($"{"image",-24} {"size",11} " + string.Join(" ", Levels.Select(l => $"{l,18}")));
        foreach (string path in options.Arguments)
        {
            using var image = Image.Load<Rgb24>(path);
            var milliseconds = Levels.ToDictionary(l => l, _ => new List<double>());
            var kilobytes = new Dictionary<PngCompressionLevel, long>();
            for (int round = 0; round <= repeat; round++)
            {
                foreach (var level in Levels)
                {
                    var stream = new MemoryStream();
                    var clock = Stopwatch.StartNew();
                    image.Save(stream, new PngEncoder { ColorType = PngColorType.Rgb, CompressionLevel = level });
                    if (round > 0) // the first round warms up
                        milliseconds[level].Add(clock.Elapsed.TotalMilliseconds);
                    kilobytes[level] = stream.Length / 1024;
                }
            }
            string cells = string.Join(" ", Levels.Select(l => $"{Statistics.Median(milliseconds[l]),7:0} ms {kilobytes[l],5} KB"));
            Console.WriteLine($"{Path.GetFileName(path),-24} {image.Width,5}x{image.Height,-5} {cells}");
        }
        return 0;
    }
}
