using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Tests.Support;
using Swin2SR.Core.Tiling;

namespace Swin2SR.Core.Tests.Inference;

/// <summary>
/// The embedded models against what PyTorch computed with the same weights (models/tools/check_export.py and
/// make_whole_image_reference.py), then the product's tiled, stitched, encoded output against the graph run on
/// the whole image.
/// </summary>
public class ReferenceOutputTests
{
    private static readonly string ReferenceDir = Path.Combine(RepoPaths.Root, "models", "tools", "reference");

    public static TheoryData<string> SmallReferences() =>
        new(Directory.EnumerateFiles(ReferenceDir, "swin2sr-*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order());

    [Theory]
    [MemberData(nameof(SmallReferences))]
    public void The_onnx_graph_computes_what_pytorch_computed(string name)
    {
        using var description = JsonDocument.Parse(File.ReadAllText(Path.Combine(ReferenceDir, name + ".json")));
        var root = description.RootElement;
        long[] inShape = root.GetProperty("input_shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        long[] outShape = root.GetProperty("output_shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var floats = ReadFloats(Path.Combine(ReferenceDir, name + ".bin"));
        long inLength = inShape.Aggregate(1L, (a, b) => a * b);
        var input = floats[..(int)inLength];
        var expected = floats[(int)inLength..];

        using var session = new InferenceSession(Path.Combine(RepoPaths.Root, "models", root.GetProperty("model").GetString()!));
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, inShape);
        using var outputs = session.Run(new RunOptions(), ["pixel_values"], [inputValue], ["reconstruction"]);
        Assert.Equal(outShape, outputs[0].GetTensorTypeAndShape().Shape);
        var actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        double maxDiff = actual.Zip(expected, (a, e) => Math.Abs(a - e)).Max();
        Assert.True(maxDiff < root.GetProperty("tolerance").GetDouble(), $"max |onnx - torch| = {maxDiff:g3}");
    }

    /// <summary>
    /// The whole 90x66 reference image in one piece, mirrored at the bottom and right up to a multiple of the window
    /// as make_whole_image_reference.py padded it: a larger, non-square input than the small references.
    /// </summary>
    [Fact]
    public void The_onnx_graph_computes_what_pytorch_computed_on_a_whole_image()
    {
        var input = TestImages.LoadPixels(Path.Combine(ReferenceDir, "whole-x2-input.png"), out int width, out int height);
        int paddedWidth = RoundUp(width, 8), paddedHeight = RoundUp(height, 8);
        var ours = WholeImagePass(input, width, height, paddedWidth, paddedHeight, (x, n) => x < n ? x : 2 * (n - 1) - x, lead: 0);
        var torch = ReadFloats(Path.Combine(ReferenceDir, "whole-x2-output.bin"));
        Assert.Equal(torch.Length, ours.Length);
        double maxDiff = ours.Zip(torch, (a, e) => Math.Abs(a - e)).Max();
        Assert.True(maxDiff < 1e-3, $"max |onnx - torch| = {maxDiff:g3}");
    }

    /// <summary>
    /// The product's tiled, stitched, PNG-encoded output against the same graph run on the whole image in one
    /// piece, extended as <see cref="TileAxis"/> documents: a window (8) of repeated edge pixels before it, and after
    /// it as many as make the length a multiple of the window with at least 4; and, away from the borders, against
    /// PyTorch's pass over the image padded only after it, as the reference implementations pad it: the windows
    /// are the same.
    /// </summary>
    [Fact]
    public void The_tiled_product_output_matches_the_whole_image_forward_pass()
    {
        const int scale = 2, tile = 48, overlap = 16, lead = 8, context = 4;
        using var folder = new TempFolder();
        string input = Path.Combine(ReferenceDir, "whole-x2-input.png");
        var options = new UpscaleOptions { TileSize = tile, TileOverlap = overlap, BatchSize = 4, IoThreads = 1, MinConsistencyPsnr = 0 };
        var result = Assert.Single(PipelineRunner.Run(Path.Combine(RepoPaths.Root, "models", "swin2sr-tiny-x2.onnx"), [input], folder.Path, options));
        Assert.Equal(UpscaleStatus.Succeeded, result.Status);

        var ours = TestImages.LoadPixels(result.Item.OutputPath, out int width, out int height);
        var lr = TestImages.LoadPixels(input, out int inWidth, out int inHeight);
        var whole = WholeImagePass(lr, inWidth, inHeight, lead + RoundUp(inWidth + context, 8), lead + RoundUp(inHeight + context, 8),
            (x, n) => Math.Clamp(x, 0, n - 1), lead);
        var hr = TestImages.LoadPixels(Path.Combine(ReferenceDir, "whole-x2-hr.png"), out _, out _);
        int plane = width * height;
        Assert.Equal(3 * plane, whole.Length);
        var wholeBytes = new Rgb24[plane];
        for (int i = 0; i < plane; i++)
            wholeBytes[i] = new Rgb24(Byte(whole[i]), Byte(whole[plane + i]), Byte(whole[2 * plane + i]));

        double psnrOurs = PsnrY(ours, hr, width, height, scale), psnrWhole = PsnrY(wholeBytes, hr, width, height, scale);
        Assert.True(Math.Abs(psnrOurs - psnrWhole) < 0.05, $"PSNR vs HR: tiled {psnrOurs:0.000} dB, whole image {psnrWhole:0.000} dB");

        // Away from the overlaps where tiles are blended, every value is within 2/255 of the whole-image pass. The
        // tile is the one the pipeline chose on the CPU (each side any multiple of the window up to -TileSize, and room
        // for context: 64x48 here).
        var chosen = TileSizeChooser.ChooseEachSide(inWidth, inHeight, TileSizeChooser.EveryWindowMultiple(tile, 8), overlap, 8);
        var seamX = SeamMask(inWidth, chosen.Width, overlap, scale);
        var seamY = SeamMask(inHeight, chosen.Height, overlap, scale);
        Assert.True(seamX.Any(s => s) && seamY.Any(s => s), $"the image is cut in tiles of {chosen} both ways, so there are seams to stitch");
        double worst = WorstDifference(ours, whole, width, height, (x, y) => !seamX[x] && !seamY[y]);
        Assert.True(worst <= 2 / 255.0, $"max difference away from seams: {worst * 255:0.00}/255");

        // Two windows (16 input pixels) in from every border, the context changes nothing: PyTorch's pass agrees too.
        var torch = ReadFloats(Path.Combine(ReferenceDir, "whole-x2-output.bin"));
        int border = 16 * scale;
        double worstTorch = WorstDifference(ours, torch, width, height,
            (x, y) => !seamX[x] && !seamY[y] && x >= border && y >= border && x < width - border && y < height - border);
        Assert.True(worstTorch <= 2 / 255.0, $"max difference from PyTorch's pass inside the borders: {worstTorch * 255:0.00}/255");
    }

    /// <summary>The largest difference between 8-bit pixels and an NCHW float image (clamped to [0, 1]), where <paramref name="counts"/> says.</summary>
    private static double WorstDifference(Rgb24[] ours, float[] reference, int width, int height, Func<int, int, bool> counts)
    {
        int plane = width * height;
        double worst = 0;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                if (!counts(x, y))
                    continue;
                var p = ours[y * width + x];
                int i = y * width + x;
                worst = Math.Max(worst, new[] { Math.Abs(p.R / 255.0 - Math.Clamp(reference[i], 0, 1)), Math.Abs(p.G / 255.0 - Math.Clamp(reference[plane + i], 0, 1)), Math.Abs(p.B / 255.0 - Math.Clamp(reference[2 * plane + i], 0, 1)) }.Max());
            }
        return worst;
    }

    /// <summary>
    /// Runs the x2 model once on the image placed at <paramref name="lead"/> in a padded canvas whose outside
    /// pixels come from <paramref name="outside"/> (an index map), and crops the output to the image.
    /// </summary>
    private static float[] WholeImagePass(Rgb24[] pixels, int width, int height, int paddedWidth, int paddedHeight, Func<int, int, int> outside, int lead)
    {
        const int scale = 2;
        var tensor = new float[3 * paddedWidth * paddedHeight];
        int padded = paddedWidth * paddedHeight;
        for (int y = 0; y < paddedHeight; y++)
            for (int x = 0; x < paddedWidth; x++)
            {
                var p = pixels[outside(y - lead, height) * width + outside(x - lead, width)];
                int i = y * paddedWidth + x;
                (tensor[i], tensor[padded + i], tensor[2 * padded + i]) = (p.R / 255f, p.G / 255f, p.B / 255f);
            }
        using var session = new InferenceSession(Path.Combine(RepoPaths.Root, "models", "swin2sr-tiny-x2.onnx"));
        using var inputValue = OrtValue.CreateTensorValueFromMemory(tensor, [1, 3, paddedHeight, paddedWidth]);
        using var outputs = session.Run(new RunOptions(), ["pixel_values"], [inputValue], ["reconstruction"]);
        var output = outputs[0].GetTensorDataAsSpan<float>();
        int outWidth = width * scale, outHeight = height * scale, paddedOutWidth = paddedWidth * scale, paddedOutPlane = padded * scale * scale;
        var cropped = new float[3 * outWidth * outHeight];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < outHeight; y++)
                output.Slice(c * paddedOutPlane + (y + lead * scale) * paddedOutWidth + lead * scale, outWidth)
                    .CopyTo(cropped.AsSpan((c * outHeight + y) * outWidth, outWidth));
        return cropped;
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>Output columns (or rows) that lie in an overlap between two tiles.</summary>
    private static bool[] SeamMask(int length, int tile, int overlap, int scale)
    {
        var axis = TileAxis.Plan(length, tile, TileSizeChooser.OverlapFor(tile, overlap), scale, align: 8);
        var mask = new bool[length * scale];
        for (int i = 1; i < axis.Count; i++)
            for (int x = axis.Starts[i] * scale; x < (axis.Starts[i - 1] + tile) * scale; x++)
                mask[x] = true;
        return mask;
    }

    /// <summary>PSNR on BT.601 luma with a border of <paramref name="border"/> pixels cropped: the SR protocol.</summary>
    private static double PsnrY(Rgb24[] a, Rgb24[] b, int width, int height, int border)
    {
        double sum = 0;
        int n = 0;
        for (int y = border; y < height - border; y++)
            for (int x = border; x < width - border; x++)
            {
                double d = Luma(a[y * width + x]) - Luma(b[y * width + x]);
                sum += d * d;
                n++;
            }
        return 10 * Math.Log10(255.0 * 255.0 / (sum / n));
    }

    private static double Luma(Rgb24 p) => 16 + (65.481 * p.R + 128.553 * p.G + 24.966 * p.B) / 255.0;

    private static byte Byte(float v) => (byte)Math.Round(Math.Clamp(v, 0f, 1f) * 255f, MidpointRounding.AwayFromZero);

    private static float[] ReadFloats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var floats = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, floats, 0, bytes.Length);
        return floats;
    }
}
