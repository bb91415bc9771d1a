using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Inference;

/// <summary>
/// A one-channel model (luma or grayscale) was refused as it loaded. It runs on the image's luma, with the chroma
/// upscaled bicubically: a grey image through it is the model's own output, a colour keeps its colour, and a
/// picture passes the quality gate (its chroma check included).
/// </summary>
public sealed class LumaModelTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string NearestY => RepoPaths.TestModel("nearest-y-x2");

    private UpscaleResult Upscale(Rgb24[] pixels, int width, int height, string? model = null)
    {
        string input = _folder.File("in.png");
        TestImages.SavePng(input, pixels, width, height);
        var options = new UpscaleOptions { TileSize = 16, TileOverlap = 4, BatchSize = 2, IoThreads = 1 };
        var result = Assert.Single(PipelineRunner.Run(model ?? NearestY, [input], _folder.File("out"), options));
        Assert.True(result.Status == UpscaleStatus.Succeeded, result.Error?.Message);
        return result;
    }

    [Fact]
    public void It_loads_as_a_one_channel_model_and_is_probed_when_it_states_nothing()
    {
        string bare = EditedModels.Write("nearest-y-x2", _folder.File("bare.onnx"), model => model.MetadataProps.Clear());

        using var stated = TileModel.LoadCpu(NearestY, cores: 1);
        using var probed = TileModel.LoadCpu(bare, cores: 1);

        Assert.Equal((1, 2), (stated.Contract.Channels, stated.Contract.Scale));
        Assert.Equal((1, 2, 8), (probed.Contract.Channels, probed.Contract.Scale, probed.Contract.Window));
    }

    [Fact]
    public void A_grey_image_comes_out_as_the_model_makes_it()
    {
        var pixels = TestImages.RandomPixels(new Random(7), 37, 21).Select(p => new Rgb24(p.R, p.R, p.R)).ToArray();

        var result = Upscale(pixels, 37, 21);

        Assert.Equal(TestImages.NearestUpscale(pixels, 37, 21, 2), TestImages.LoadPixels(result.Item.OutputPath, out _, out _));
    }

    [Fact]
    public void A_flat_colour_keeps_its_colour()
    {
        var colour = new Rgb24(200, 80, 40);

        var result = Upscale(Enumerable.Repeat(colour, 24 * 20).ToArray(), 24, 20);

        var output = TestImages.LoadPixels(result.Item.OutputPath, out int width, out int height);
        Assert.Equal((48, 40), (width, height));
        Assert.All(output, p => Assert.True(Math.Abs(p.R - colour.R) <= 1 && Math.Abs(p.G - colour.G) <= 1 && Math.Abs(p.B - colour.B) <= 1, p.ToString()));
    }

    [Fact]
    public void A_colour_picture_passes_the_quality_gate_with_its_chroma()
    {
        // Orange on the left, blue on the right, with noise: coloured regions for the chroma check.
        var noise = TestImages.RandomPixels(new Random(3), 64, 48);
        var pixels = noise.Select((n, i) => i % 64 < 32
            ? new Rgb24((byte)(180 + n.R / 8), (byte)(80 + n.G / 8), (byte)(30 + n.B / 8))
            : new Rgb24((byte)(30 + n.R / 8), (byte)(80 + n.G / 8), (byte)(180 + n.B / 8))).ToArray();

        var result = Upscale(pixels, 64, 48);

        Assert.True(result.Metrics!.ChromaRetention > 0.9, $"chroma retention {result.Metrics.ChromaRetention}");
    }
}
