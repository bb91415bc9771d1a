using System.Diagnostics;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Tiff.Constants;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;
using Xunit.Abstractions;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>
/// Mutated PNG, JPEG, WebP, TIFF, BMP and GIF files through the engine's decode path: every case must end decoded or as an
/// <see cref="ImageInputException"/>, within a time limit and a memory bound. A fixed seed makes failures
/// reproducible; SWIN2SR_FUZZ_CASES and SWIN2SR_FUZZ_SEED run a longer campaign by hand (docs/fuzzing.md),
/// and SWIN2SR_FUZZ_OUT keeps the files that failed.
/// </summary>
public sealed class DecoderFuzzTests(ITestOutputHelper log)
{
    private const int DefaultCases = 4000;
    private static readonly TimeSpan PerCase = TimeSpan.FromSeconds(10);

    /// <summary>A quarter megapixel in: a mutated header can claim no more, so each case stays cheap and bounded.</summary>
    private static readonly ImageLimits s_limits = new(0.25, 1);

    /// <summary>Decoded pixels at the limit take ~30 bytes each (16-bit RGBA, float planes, alpha, the fill's pyramid).</summary>
    private const long MaxAllocatedPerCase = 64L << 20;

    [Fact]
    public void Mutated_files_decode_or_fail_cleanly_within_time_and_memory_bounds()
    {
        int cases = int.TryParse(Environment.GetEnvironmentVariable("SWIN2SR_FUZZ_CASES"), out int n) ? n : DefaultCases;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("SWIN2SR_FUZZ_SEED"), out int s) ? s : 20240601;
        string? keep = Environment.GetEnvironmentVariable("SWIN2SR_FUZZ_OUT");
        var seeds = Seeds();
        var random = new Random(seed);
        var loader = new ImageLoader(s_limits);
        var outcomes = new Dictionary<string, int>();
        var problems = new List<string>();
        var clock = Stopwatch.StartNew();
        long peakAllocated = 0;
        for (int i = 0; i < cases; i++)
        {
            var (name, original) = seeds[i % seeds.Count];
            byte[] mutated = FuzzMutator.Mutate(original, random, seeds[random.Next(seeds.Count)].Bytes);
            var (outcome, allocated, problem) = Run(loader, mutated, name);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            peakAllocated = Math.Max(peakAllocated, allocated);
            if (problem is null && allocated > MaxAllocatedPerCase)
                problem = $"allocated {allocated >> 20} MiB";
            if (problem is null)
                continue;
            problems.Add($"case {i} ({name}, seed {seed}): {problem}");
            if (keep is not null)
            {
                Directory.CreateDirectory(keep);
                File.WriteAllBytes(Path.Combine(keep, $"case-{seed}-{i}-{name}"), mutated);
            }
        }
        log.WriteLine($"{cases} cases in {clock.Elapsed.TotalSeconds:0.0} s, peak {peakAllocated >> 20} MiB allocated in one case, working set {Environment.WorkingSet >> 20} MiB");
        foreach (var (outcome, count) in outcomes.OrderByDescending(o => o.Value))
            log.WriteLine($"{count,6}  {outcome}");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Take(20)));
        Assert.True(outcomes.GetValueOrDefault("decoded") > cases / 20, "too few cases decoded: the mutations are too destructive to reach the decoders");
        Assert.True(cases - outcomes.GetValueOrDefault("decoded") > cases / 5, "too few cases failed: the mutations are too mild to test anything");
    }

    /// <summary>Decodes on a worker thread with a time limit; the outcome is "decoded" or the error id.</summary>
    private static (string Outcome, long Allocated, string? Problem) Run(ImageLoader loader, byte[] data, string name)
    {
        long allocated = 0;
        var task = Task.Factory.StartNew(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                loader.Decode(data, name, 2);
                return "decoded";
            }
            finally
            {
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            if (!task.Wait(PerCase))
                return ("hang", 0, $"no result after {PerCase.TotalSeconds} s");
            return (task.Result, allocated, null);
        }
        catch (AggregateException e) when (e.InnerException is ImageInputException input)
        {
            return (input.ErrorId, allocated, input.Message.StartsWith(name + ": ") ? null : $"the message does not name the file: {input.Message}");
        }
        catch (AggregateException e)
        {
            return ("crash", allocated, $"{e.InnerException!.GetType().Name} escaped the loader: {e.InnerException.Message}");
        }
    }

    /// <summary>Small valid files of each format and flavour the mutations start from.</summary>
    private static List<(string Name, byte[] Bytes)> Seeds()
    {
        using var colour = FixtureImages.Pattern(24, 16, FixtureImages.Colour);
        using var translucent = FixtureImages.Pattern(16, 16, (x, y) => new Rgba32((byte)(x * 16), (byte)(y * 16), 90, (byte)(x * y)));
        using var deep = FixtureImages.Pattern(12, 10, (x, y) => new Rgb48((ushort)(x * 5000), (ushort)(y * 6000), 1234));
        colour.Metadata.ExifProfile = new ExifProfile();
        colour.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        colour.Metadata.ExifProfile.SetValue(ExifTag.Artist, "fuzz");
        return
        [
            ("rgb.png", FixtureImages.Encode(colour, new PngEncoder())),
            ("rgba-interlaced.png", FixtureImages.Encode(translucent, new PngEncoder { InterlaceMethod = PngInterlaceMode.Adam7 })),
            ("palette.png", FixtureImages.Encode(translucent, new PngEncoder { ColorType = PngColorType.Palette })),
            ("deep.png", FixtureImages.Encode(deep, new PngEncoder { BitDepth = PngBitDepth.Bit16 })),
            ("exif.jpg", FixtureImages.Encode(colour, new JpegEncoder { Quality = 80 })),
            ("gray.jpg", FixtureImages.Encode(colour, new JpegEncoder { ColorType = JpegColorType.Luminance })),
            ("progressive.jpg", HandMadeJpeg.Encode(3, 2, 3, (c, r) => [(byte)(c * 80), (byte)(r * 90 + 40), 128], progressive: true)),
            ("cmyk.jpg", HandMadeJpeg.Encode(2, 2, 4, (c, r) => [(byte)(c * 200), 30, (byte)(r * 100), 220], HandMadeJpeg.AdobeUnknown)),
            ("lossy.webp", FixtureImages.Encode(colour, new WebpEncoder { Quality = 75 })),
            ("lossless.webp", FixtureImages.Encode(translucent, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless })),
            ("alpha-lossy.webp", FixtureImages.Encode(translucent, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy, UseAlphaCompression = true })),
            ("lzw.tif", FixtureImages.Encode(colour, new TiffEncoder { Compression = TiffCompression.Lzw })),
            ("deflate-predictor.tif", FixtureImages.Encode(colour, new TiffEncoder { Compression = TiffCompression.Deflate, HorizontalPredictor = TiffPredictor.Horizontal })),
            ("packbits-gray.tif", FixtureImages.Encode(colour, new TiffEncoder { Compression = TiffCompression.PackBits, BitsPerPixel = TiffBitsPerPixel.Bit8 })),
            ("rgb.bmp", FixtureImages.Encode(colour, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 })),
            ("palette.bmp", FixtureImages.Encode(colour, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel8 })),
            ("rgba.bmp", FixtureImages.Encode(translucent, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel32, SupportTransparency = true })),
            // Rows coding more pixels than the width (as ImageMagick writes them), a jump (delta) and a literal run.
            ("rle8.bmp", HandMadeBmp.RunLength(5, [[0, 3, 1, 2, 3, 0, 5, 4], [2, 7, 0, 2, 1, 1, 2, 9], [8, 10]], 8, HandMadeBmp.Grays(16))),
            ("rle4.bmp", HandMadeBmp.RunLength(5, [[0, 3, 0x12, 0x30, 5, 0x45], [3, 0x67, 0, 4, 0x89, 0xAB], [8, 0xCD]], 4, HandMadeBmp.Grays(16))),
            ("still.gif", FixtureImages.Encode(translucent, new GifEncoder())),
        ];
    }
}
