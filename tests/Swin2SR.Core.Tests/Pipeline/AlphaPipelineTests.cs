using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Pipeline;

/// <summary>Transparent images through a real run: the two alpha modes, and no dark fringe at transparent edges.</summary>
public sealed class AlphaPipelineTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>An opaque red disc (radius 9) on fully transparent black: what a logo cut-out looks like.</summary>
    private string Disc()
    {
        using var image = FixtureImages.Pattern(32, 32, (x, y) =>
            (x - 15.5) * (x - 15.5) + (y - 15.5) * (y - 15.5) <= 81 ? new Rgba32(255, 0, 0, 255) : new Rgba32(0, 0, 0, 0));
        Directory.CreateDirectory(_folder.File("in"));
        return FixtureImages.Save(_folder.File("in", "disc.png"), image, new PngEncoder { ColorType = PngColorType.RgbWithAlpha });
    }

    private Image<Rgba32> Run(string model, AlphaMode mode)
    {
        var options = new UpscaleOptions { TileSize = 16, TileOverlap = 4, BatchSize = 4, IoThreads = 1, AlphaMode = mode };
        var result = Assert.Single(PipelineRunner.Run(RepoPaths.TestModel(model), [Disc()], _folder.File($"out-{model}-{mode}"), options));
        Assert.True(result.Status == UpscaleStatus.Succeeded, result.Error?.Message);
        return Image.Load<Rgba32>(result.Item.OutputPath);
    }

    [Theory]
    [InlineData(AlphaMode.Bicubic)]
    [InlineData(AlphaMode.Model)]
    public void A_transparent_edge_has_no_dark_fringe(AlphaMode mode)
    {
        // The blur model mixes each pixel with its neighbours: without the colour fill, the black under the
        // transparent pixels would darken the disc's rim wherever the upscaled alpha makes it visible.
        using var output = Run("boxblur-x2", mode);
        int visible = 0;
        for (int y = 0; y < output.Height; y++)
            for (int x = 0; x < output.Width; x++)
            {
                var p = output[x, y];
                if (p.A == 0)
                    continue;
                visible++;
                Assert.True(p.R >= 250 && p.G <= 5 && p.B <= 5, $"({x},{y}) alpha {p.A} is {p}, not red");
            }
        Assert.InRange(visible, 900, 64 * 64);
    }

    [Fact]
    public void Model_mode_runs_the_alpha_through_the_model_and_bicubic_mode_resizes_it_smoothly()
    {
        using var bicubic = Run("nearest-x2", AlphaMode.Bicubic);
        using var model = Run("nearest-x2", AlphaMode.Model);
        using var input = Image.Load<Rgba32>(Disc());
        // Through nearest x2, the alpha is exactly the input's, each pixel doubled.
        for (int y = 0; y < 64; y++)
            for (int x = 0; x < 64; x++)
                Assert.Equal(input[x / 2, y / 2].A, model[x, y].A);
        // Bicubic interpolation leaves partly transparent pixels along the rim.
        Assert.Contains(Enumerable.Range(0, 64 * 64), i => bicubic[i % 64, i / 64].A is > 0 and < 255);
    }
}
