using System.Diagnostics;
using System.Text.RegularExpressions;
using Swin2SR.Core.Imaging;

namespace Swin2SR.Bench;

/// <summary>
/// The decode and write path under mutated files (docs/fuzzing.md, "Run 5"): each case is decoded as a run reads an
/// input, then, when it decodes, written as a run writes it to PNG, JPEG, WebP, TIFF and BMP with its metadata carried
/// (-KeepPrintSize's scaling on every other case), and each output is read back. A problem is an exception other than
/// the loader's ImageInputException, an error that does not name the file, a case over 5 s, a decode allocating over
/// 64 MiB, a temp file left, or an output that cannot be read back. Problems are grouped by their text, digits aside.
/// </summary>
internal static partial class WriterFuzz
{
    private static readonly string[] s_formats = ["PNG", "JPEG", "Webp", "TIFF", "BMP"];
    private static readonly TimeSpan s_perCase = TimeSpan.FromSeconds(5);
    private const long MaxDecodeAllocation = 64L << 20;

    /// <summary>A quarter megapixel in, as DecoderFuzzTests: a header may claim no more, so each case stays cheap. The memory is fixed: measuring the machine's per case costs more than the case.</summary>
    private static readonly ImageLoader s_loader = new(new ImageLimits(0.25, 1) { MemoryBytes = 4L << 30 });

    private static readonly ImageLoader s_outputLoader = new(ImageLimits.Default with { MemoryBytes = 4L << 30 });

    private static readonly ImageWriter s_writer = new(90);

    /// <summary>Usage: writerfuzz SEED_FOLDER [--cases 100000] [--seed 7] [--seconds 600] [--keep FOLDER]</summary>
    public static int Run(string[] args)
    {
        var options = BenchOptions.Parse(args);
        if (options.Arguments.Count != 1)
        {
            Console.Error.WriteLine("usage: Swin2SR.Bench writerfuzz SEED_FOLDER [--cases 100000] [--seed 7] [--seconds 600] [--keep FOLDER]");
            return 2;
        }
        int cases = options.Int("cases", 100_000), seed = options.Int("seed", 7);
        double seconds = options.Double("seconds", 600);
        string keep = options.Text("keep") ?? Path.Combine(Path.GetTempPath(), $"swin2sr-writerfuzz-{seed}");
        var seeds = Directory.GetFiles(options.Arguments[0]).Order().Select(f => (Name: Path.GetFileName(f), Bytes: File.ReadAllBytes(f))).ToList();
        // In memory where there is a tmpfs: the writer flushes each output to disk, which would be most of the time.
        string work = Directory.Exists("/dev/shm") ? Directory.CreateDirectory($"/dev/shm/swin2sr-writerfuzz-{Guid.NewGuid():N}").FullName
            : Directory.CreateTempSubdirectory("swin2sr-writerfuzz-").FullName;
        var random = new Random(seed);
        var outcomes = new Dictionary<string, int>();
        var problems = new Dictionary<string, List<string>>();
        var clock = Stopwatch.StartNew();
        int run = 0;
        for (; run < cases && clock.Elapsed.TotalSeconds < seconds; run++)
        {
            var (name, original) = seeds[run % seeds.Count];
            var (data, kind) = WriterFuzzMutations.Mutate(original, random, seeds[random.Next(seeds.Count)].Bytes);
            var (outcome, problem) = Case(data, Path.Combine(work, name), keepPrintSize: run % 2 == 0);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            foreach (string left in Directory.GetFiles(work, "*.tmp"))
            {
                problem ??= $"temp file left: {Path.GetFileName(left)}";
                File.Delete(left);
            }
            if (problem is null)
                continue;
            if (!problems.TryGetValue(Digits().Replace(problem, "N"), out var found))
                problems[Digits().Replace(problem, "N")] = found = [];
            string file = Path.Combine(Directory.CreateDirectory(keep).FullName, $"case-{seed}-{run}-{Regex.Replace(kind, "[^A-Za-z0-9+-]", "_")}-{name}");
            if (found.Count < 5)
                File.WriteAllBytes(file, data);
            found.Add($"{file}: {problem}");
        }
        Directory.Delete(work, recursive: true);
        Console.WriteLine($"{run} cases in {clock.Elapsed.TotalSeconds:0} s, seed {seed}, {seeds.Count} seeds, working set {Environment.WorkingSet >> 20} MiB");
        foreach (var (outcome, count) in outcomes.OrderByDescending(o => o.Value))
            Console.WriteLine($"{count,8}  {outcome}");
        Console.WriteLine($"{problems.Count} distinct problems (files kept in {keep})");
        foreach (var (_, found) in problems.OrderByDescending(p => p.Value.Count))
            Console.WriteLine($"[{found.Count}] {found[0]}");
        return problems.Count == 0 ? 0 : 1;
    }

    /// <summary>One case on a thread of its own, so that a hang is seen (and left behind: the process ends after the run).</summary>
    private static (string Outcome, string? Problem) Case(byte[] data, string path, bool keepPrintSize)
    {
        string stage = "decode";
        long decodeAllocated = 0;
        var task = Task.Factory.StartNew(() =>
        {
            long before = GC.GetTotalAllocatedBytes(false);
            LoadedImage loaded;
            try
            {
                loaded = s_loader.Decode(data, path, 2);
            }
            finally
            {
                decodeAllocated = GC.GetTotalAllocatedBytes(false) - before;
            }
            var upscaled = Doubled(loaded, keepPrintSize);
            foreach (string format in s_formats)
            {
                stage = "write " + format;
                if (!Writes(upscaled, format, path))
                    continue;
                stage = "read back " + format;
                string output = Path.ChangeExtension(path, ".out." + format.ToLowerInvariant());
                try
                {
                    s_outputLoader.Load(output, 1);
                }
                catch (ImageInputException e)
                {
                    throw new InvalidDataException($"the {format} output cannot be read back: {e.Reason}", e);
                }
            }
            return "decoded and written";
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            if (!task.Wait(s_perCase))
                return ("hang", $"no result after {s_perCase.TotalSeconds} s, at {stage}");
            return (task.Result, OverAllocated(decodeAllocated));
        }
        catch (AggregateException e) when (e.InnerException is ImageInputException input && stage == "decode")
        {
            return (input.ErrorId, input.Message.StartsWith(path + ": ", StringComparison.Ordinal) ? OverAllocated(decodeAllocated) : $"the error does not name the file: {input.Message}");
        }
        catch (AggregateException e)
        {
            var inner = e.InnerException!;
            string? site = inner.StackTrace?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("Swin2SR.Core") || l.Contains("SixLabors"));
            return ("problem", $"{stage}: {inner.GetType().Name}: {inner.Message.Split('\n')[0]} {site}");
        }
    }

    /// <summary>A quarter megapixel decodes in 64 MiB (DecoderFuzzTests): a decode, failed or not, that takes more was fooled.</summary>
    private static string? OverAllocated(long bytes) => bytes > MaxDecodeAllocation ? $"decoding allocated {bytes >> 20} MiB" : null;

    /// <summary>The decoded image at twice its size (nearest neighbour: the model is not what is tested), as the encode stage gets it.</summary>
    private static UpscaledImage Doubled(LoadedImage loaded, bool keepPrintSize)
    {
        var pixels = loaded.Pixels;
        var doubled = new PlanarImage(pixels.Width * 2, pixels.Height * 2);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < doubled.Height; y++)
                for (int x = 0; x < doubled.Width; x++)
                    doubled[c, y, x] = pixels[c, y / 2, x / 2];
        float[]? alpha = loaded.Alpha is null ? null : BicubicResize.Upscale(loaded.Alpha, pixels.Width, pixels.Height, 2);
        return new UpscaledImage(doubled, alpha, loaded.Traits, keepPrintSize ? PrintResolution.Scaled(loaded.Metadata, 2) : loaded.Metadata);
    }

    /// <summary>Writes <paramref name="format"/> as the encode stage does (its warnings asked first); false where the run would have refused the size up front.</summary>
    private static bool Writes(UpscaledImage image, string format, string path)
    {
        try
        {
            ImageWriter.CheckSize(format, image.Pixels.Width, image.Pixels.Height, path);
        }
        catch (ImageInputException)
        {
            return false;
        }
        _ = OutputEncoding.MismatchedIccColourSpace(image, format);
        _ = OutputEncoding.OversizedXmpLength(image, format);
        _ = OutputEncoding.OversizedExif(image, format);
        s_writer.Write(image, format, Path.ChangeExtension(path, ".out." + format.ToLowerInvariant()), CancellationToken.None);
        return true;
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
