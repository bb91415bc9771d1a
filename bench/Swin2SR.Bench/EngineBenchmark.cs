using System.Diagnostics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Tiling;

namespace Swin2SR.Bench;

/// <summary>
/// Engine efficiency: tiles per second through the whole pipeline (decode, tile, infer, stitch, encode, write)
/// over tiles per second of a bare session.Run loop on the same session, tile shape and batch. Inputs are exactly
/// one tile each with their edge context (the tile less TileAxis.ContextRoom), so both sides compute the same
/// pixels and the ratio is the pipeline's overhead. The two take turns
/// for several rounds on the one session (warmed by the bare loop's first run), and the ratio is the median of the
/// rounds': a single pair of runs spread by more than the overhead measured (0.76 to 0.92 on the full-size model).
/// </summary>
internal static class EngineBenchmark
{
    public static int Run(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("usage: engine <model.onnx> [tile=64] [batch=4] [images=64] [rounds=3]");
            return 2;
        }
        string model = args[0];
        int tile = args.Length > 1 ? int.Parse(args[1]) : 64;
        int batch = args.Length > 2 ? int.Parse(args[2]) : 4;
        int images = args.Length > 3 ? int.Parse(args[3]) : 64;
        int rounds = args.Length > 4 ? int.Parse(args[4]) : 3;
        string folder = Path.Combine(Path.GetTempPath(), "swin2sr-engine-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            using var session = TileModel.LoadCpu(model, Environment.ProcessorCount);
            int imageSide = tile - TileAxis.ContextRoom(session.Contract.Window);
            var inputs = WriteInputs(folder, images, imageSide);
            Console.WriteLine($"engine: {Path.GetFileName(model)}, tile {tile}, batch {batch}, {images} images of one tile, {session.Lanes} lanes");
            var ratios = new List<double>();
            for (int round = 1; round <= rounds; round++)
            {
                double bareRate = BareLoop(session, tile, batch, images);
                double pipelineRate = PipelineRun(session, inputs, Path.Combine(folder, "out"), imageSide, batch);
                ratios.Add(pipelineRate / bareRate);
                Console.WriteLine($"  round {round}: bare session.Run loop {bareRate:0.00} tiles/s, whole pipeline {pipelineRate:0.00} tiles/s, ratio {pipelineRate / bareRate:0.000}");
            }
            Console.WriteLine($"  efficiency (median of {rounds}): {Statistics.Median(ratios):0.000}");
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <param name="tileSize">-TileSize: the image side; the pipeline adds the room for the context.</param>
    private static double PipelineRun(TileModel session, List<string> inputs, string outputFolder, int tileSize, int batch)
    {
        // Random noise is no photo: the quality gate would reject it; its cost stays in (it still measures every image).
        var options = new UpscaleOptions { TileSize = tileSize, TileOverlap = 0, BatchSize = batch, IoThreads = 1, Force = true, MinConsistencyPsnr = 0 };
        var clock = Stopwatch.StartNew();
        var pipeline = UpscalePipeline.Start([session], OutputPlanner.Plan(inputs, outputFolder, Core.Imaging.OutputFormat.Png), options, CancellationToken.None);
        int done = 0;
        while (pipeline.Results.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            while (pipeline.Results.TryRead(out var r))
                done += r.Status == UpscaleStatus.Succeeded ? 1 : throw new InvalidOperationException(r.Error?.Message);
        pipeline.Completion.GetAwaiter().GetResult();
        return done / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The upper bound: the same batches through the session with nothing else to do (after one warm-up), a loop
    /// per lane as the pipeline runs them, the tiles shared out between the loops.
    /// </summary>
    private static double BareLoop(TileModel model, int tile, int batch, int tiles)
    {
        int remaining = tiles;
        var clock = new Stopwatch();
        var warm = new Barrier(model.Lanes, _ => clock.Start());
        var loops = Enumerable.Range(0, model.Lanes).Select(_ => new Thread(() =>
        {
            var input = new float[batch * 3 * tile * tile];
            for (int i = 0; i < input.Length; i++)
                input[i] = (i % 251) / 250f;
            var output = new float[input.Length * model.Contract.Scale * model.Contract.Scale];
            model.Run(input, output, batch, TileShape.Square(tile), Precision.Fp32);
            warm.SignalAndWait();
            int n;
            while ((n = Math.Min(batch, Interlocked.Add(ref remaining, -batch) + batch)) > 0)
                model.Run(input, output, n, TileShape.Square(tile), Precision.Fp32);
        })).ToList();
        loops.ForEach(t => t.Start());
        loops.ForEach(t => t.Join());
        return tiles / clock.Elapsed.TotalSeconds;
    }

    private static List<string> WriteInputs(string folder, int count, int size)
    {
        var random = new Random(7);
        var paths = new List<string>();
        var bytes = new byte[size * size * 3];
        for (int i = 0; i < count; i++)
        {
            random.NextBytes(bytes);
            using var image = Image.LoadPixelData<Rgb24>(bytes, size, size);
            string path = Path.Combine(folder, $"in{i:D4}.png");
            image.SaveAsPng(path);
            paths.Add(path);
        }
        return paths;
    }
}
