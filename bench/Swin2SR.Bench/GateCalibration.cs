using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Quality;

namespace Swin2SR.Bench;

/// <summary>
/// Measures the quality gate's consistency PSNR (QualityGate.Measure) on real images, for the outputs of real
/// models, for the same outputs deliberately broken the ways upscalers break, and for the cleanups a denoising
/// model rightly makes (the input degraded, the output left clean): where the default of -MinConsistencyPsnr
/// must fall is between the broken and the rest. Each row also gives the pixel-by-pixel figures (the output
/// shrunk by the scale alone), the measure the gate used before it compared 4x4 blocks. Recorded in
/// docs/quality-gate.md.
/// </summary>
internal static class GateCalibration
{
    /// <summary>Failure modes seen in upscalers' issue trackers, applied to a good output (values in [0,1]).</summary>
    private static readonly (string Name, Func<PlanarImage, int, PlanarImage> Break)[] s_breakages =
    [
        ("one tile black", (o, s) => Paint(o, s, (_, _) => 0f, tileOnly: true)),
        ("one tile noise", (o, s) => Paint(o, s, (i, _) => Hash(i), tileOnly: true)),
        ("shifted 1 px", Shift),
        ("channels swapped", (o, _) => Swap(o)),
        ("washed out", (o, _) => Map(o, v => 0.5f * v + 0.25f)),
        ("half brightness", (o, _) => Map(o, v => 0.5f * v)),
        ("inverted", (o, _) => Map(o, v => 1 - v)),
        ("noise", (o, s) => Paint(o, s, (i, _) => Hash(i), tileOnly: false)),
    ];

    /// <summary>Inputs degraded the ways real-world inputs are, each measured against the clean input's output.</summary>
    private static readonly (string Name, Func<string, ImageLoader, PlanarImage> Degrade)[] s_cleanups =
    [
        ("cleaned of noise sigma 15", (path, loader) => AddNoise(loader.Load(path, 1).Pixels, 15)),
        ("cleaned of noise sigma 30", (path, loader) => AddNoise(loader.Load(path, 1).Pixels, 30)),
        ("cleaned of noise sigma 50", (path, loader) => AddNoise(loader.Load(path, 1).Pixels, 50)),
        ("cleaned of JPEG quality 10", JpegQuality10),
    ];

    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: gate <image folder> <model.onnx>...");
            return 2;
        }
        string folder = Path.Combine(Path.GetTempPath(), "swin2sr-gate-" + Guid.NewGuid().ToString("N"));
        var images = Directory.EnumerateFiles(args[0]).Order(StringComparer.Ordinal).ToList();
        var loader = new ImageLoader(ImageLimits.Default);
        try
        {
            Console.WriteLine($"Consistency PSNR (dB) over the {images.Count} images of {Path.GetFileName(args[0])}:");
            Console.WriteLine();
            Console.WriteLine("| model | outputs | min | median | max | lowest | pixel by pixel: min | median | contrast ratio: min | max |");
            Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            foreach (string model in args[1..])
            {
                var (scale, outputs) = Upscale(model, images, Path.Combine(folder, Path.GetFileNameWithoutExtension(model)));
                var rows = new[] { "as produced" }.Concat(s_breakages.Select(b => b.Name)).Concat(s_cleanups.Select(c => c.Name))
                    .ToDictionary(name => name, _ => new List<Measured>());
                foreach (var (input, output) in outputs)
                {
                    var source = loader.Load(input, 1).Pixels;
                    var upscaled = loader.Load(output, 1).Pixels;
                    string image = Path.GetFileName(input);
                    rows["as produced"].Add(Measure(source, upscaled, scale, image));
                    foreach (var (name, breakOutput) in s_breakages)
                        rows[name].Add(Measure(source, breakOutput(upscaled, scale), scale, image));
                    foreach (var (name, degrade) in s_cleanups)
                        rows[name].Add(Measure(degrade(input, loader), upscaled, scale, image));
                }
                foreach (var (name, values) in rows)
                    Row(Path.GetFileNameWithoutExtension(model), name, values);
            }
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed record Measured(double Psnr, double PixelByPixel, double ContrastRatio, string Image);

    private static Measured Measure(PlanarImage input, PlanarImage output, int scale, string image)
    {
        var metrics = QualityGate.Measure(input, output, scale);
        return new(metrics.ConsistencyPsnr, Psnr.ComputeRgb(input, AreaDownscale.Shrink(output, scale, scale), 0, 0, input.Width, input.Height),
            metrics.ContrastRatio, image);
    }

    private static void Row(string model, string outputs, List<Measured> values)
    {
        var sorted = values.OrderBy(v => v.Psnr).ToList();
        var pixelByPixel = values.Select(v => v.PixelByPixel).Order().ToList();
        var contrast = values.Select(v => v.ContrastRatio).Where(double.IsFinite).Order().ToList();
        var lowest = string.Join(", ", sorted.Take(3).Select(v => $"{v.Image} {v.Psnr:0.0}"));
        Console.WriteLine($"| {model} | {outputs} | {sorted[0].Psnr:0.0} | {sorted[values.Count / 2].Psnr:0.0} | {sorted[^1].Psnr:0.0} | {lowest} " +
            $"| {pixelByPixel[0]:0.0} | {pixelByPixel[values.Count / 2]:0.0} | {contrast.FirstOrDefault(double.NaN):0.00} | {contrast.LastOrDefault(double.NaN):0.00} |");
    }

    /// <summary>Gaussian noise of <paramref name="sigma"/> levels (0-255) in every channel, rounded to 8 bits as a file would hold it.</summary>
    private static PlanarImage AddNoise(PlanarImage image, double sigma)
    {
        var random = new Random(image.Width * 31 + image.Height);
        var result = new PlanarImage(image.Width, image.Height);
        for (int i = 0; i < image.Data.Length; i++)
        {
            double gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            result.Data[i] = (float)(Math.Clamp(Math.Round(image.Data[i] * 255 + sigma * gaussian), 0, 255) / 255);
        }
        return result;
    }

    private static PlanarImage JpegQuality10(string path, ImageLoader loader)
    {
        using var image = Image.Load<Rgb24>(path);
        using var encoded = new MemoryStream();
        image.SaveAsJpeg(encoded, new JpegEncoder { Quality = 10 });
        return loader.Decode(encoded.ToArray(), path, 1).Pixels;
    }

    /// <summary>Upscales every image with the gate off, as PNG (lossless: what is measured is the model's output).</summary>
    private static (int Scale, List<(string Input, string Output)> Outputs) Upscale(string model, List<string> images, string folder)
    {
        using var session = TileModel.LoadCpu(model, Environment.ProcessorCount);
        var options = new UpscaleOptions { MinConsistencyPsnr = 0, Force = true };
        var pipeline = UpscalePipeline.Start([session], OutputPlanner.Plan(images, folder, OutputFormat.Png), options, CancellationToken.None);
        var outputs = new List<(string, string)>();
        while (pipeline.Results.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            while (pipeline.Results.TryRead(out var r))
                outputs.Add(r.Status == UpscaleStatus.Succeeded ? (r.Item.InputPath, r.Item.OutputPath) : throw new InvalidOperationException(r.Error?.Message));
        pipeline.Completion.GetAwaiter().GetResult();
        return (session.Contract.Scale, outputs);
    }

    private static PlanarImage Map(PlanarImage image, Func<float, float> f)
    {
        var result = new PlanarImage(image.Width, image.Height);
        for (int i = 0; i < image.Data.Length; i++)
            result.Data[i] = f(image.Data[i]);
        return result;
    }

    /// <summary>Replaces the whole image, or one 128x128 input tile in its middle (a tile the model broke), with <paramref name="value"/>.</summary>
    private static PlanarImage Paint(PlanarImage image, int scale, Func<int, int, float> value, bool tileOnly)
    {
        var result = new PlanarImage(image.Width, image.Height, (float[])image.Data.Clone());
        int tile = 128 * scale;
        int x0 = tileOnly ? Math.Max(0, (image.Width - tile) / 2) : 0, y0 = tileOnly ? Math.Max(0, (image.Height - tile) / 2) : 0;
        int x1 = tileOnly ? Math.Min(image.Width, x0 + tile) : image.Width, y1 = tileOnly ? Math.Min(image.Height, y0 + tile) : image.Height;
        for (int c = 0; c < 3; c++)
            for (int y = y0; y < y1; y++)
                for (int x = x0; x < x1; x++)
                    result[c, y, x] = value((c * image.Height + y) * image.Width + x, c);
        return result;
    }

    /// <summary>The output moved by one input pixel (a tile placed at the wrong offset), the edge repeated.</summary>
    private static PlanarImage Shift(PlanarImage image, int scale)
    {
        var result = new PlanarImage(image.Width, image.Height);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < image.Height; y++)
                for (int x = 0; x < image.Width; x++)
                    result[c, y, x] = image[c, y, Math.Max(0, x - scale)];
        return result;
    }

    private static PlanarImage Swap(PlanarImage image)
    {
        var result = new PlanarImage(image.Width, image.Height);
        image.Plane(0).CopyTo(result.Plane(2));
        image.Plane(1).CopyTo(result.Plane(1));
        image.Plane(2).CopyTo(result.Plane(0));
        return result;
    }

    /// <summary>Deterministic noise in [0,1).</summary>
    private static float Hash(int i) => (uint)(i * 2654435761u) / 4294967296f;
}
