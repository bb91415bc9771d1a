using SixLabors.ImageSharp;
using Swin2SR.Core.Tiling;

namespace Swin2SR.Bench;

/// <summary>
/// The share of computed pixels that are padding, edge context or overlap over a folder of images, as the pipeline plans them
/// (the figure -Verbose reports after a run), without running a model: the per-image tile choice among the
/// candidate sizes, the window alignment and the overlap. --sizes gpu (the default) or cpu picks the pipeline's
/// set for GPUs (square tiles) or for runs on CPUs only (each side chosen on its own); --candidates tries any other
/// set; --shapes square or each-side overrides the shapes (--sizes cpu --shapes square: the CPU before rectangles).
/// </summary>
internal static class TilingBenchmark
{
    public static int Run(string[] args)
    {
        var options = BenchOptions.Parse(args);
        if (options.Arguments.Count < 1)
        {
            Console.Error.WriteLine("usage: tiling <folder> [--tile 256] [--sizes gpu|cpu] [--shapes square|each-side] [--overlap 16] [--window 8] [--candidates 272,208,144,...]");
            return 2;
        }
        int window = options.Int("window", 8);
        int overlap = options.Int("overlap", 16);
        int maxTile = options.Int("tile", 256);
        bool cpu = options.Text("sizes") == "cpu";
        var candidates = options.Ints("candidates") ?? (cpu
            ? TileSizeChooser.EveryWindowMultiple(maxTile, window)
            : TileSizeChooser.Candidates(maxTile, window));
        bool eachSide = (options.Text("shapes") ?? (cpu ? "each-side" : "square")) == "each-side";
        long computed = 0, image = 0;
        var chosen = new Dictionary<TileShape, int>();
        foreach (string file in Directory.GetFiles(options.Arguments[0]).Order(StringComparer.Ordinal))
        {
            var info = Image.Identify(file);
            var tile = eachSide
                ? TileSizeChooser.ChooseEachSide(info.Width, info.Height, candidates, overlap, window)
                : TileSizeChooser.ChooseSquare(info.Width, info.Height, candidates, overlap, window);
            computed += TileSizeChooser.ComputedPixels(info.Width, info.Height, tile, overlap, window);
            image += (long)info.Width * info.Height;
            chosen[tile] = chosen.GetValueOrDefault(tile) + 1;
        }
        string sizes = string.Join(", ", chosen.OrderByDescending(p => p.Key.Pixels).Select(p => $"{p.Key}: {p.Value} images"));
        Console.WriteLine($"tiling: candidates {string.Join(",", candidates)}{(eachSide ? " each side" : " square")}, overlap {overlap}, window {window}: " +
            $"{100.0 * (1 - (double)image / computed):0.0}% of computed pixels are padding, edge context or overlap; {computed:N0} computed for {image:N0} ({sizes})");
        return 0;
    }
}
