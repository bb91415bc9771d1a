using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>
/// A JPEG with subsampled chroma (4:2:0, 4:2:2) is read with its chroma interpolated as libjpeg does, not repeated
/// over blocks of pixels as ImageSharp 2.1 decodes it: the picture the model gets is closer to the one that was
/// encoded. One with full-resolution chroma (4:4:4) is read exactly as ImageSharp decodes it.
/// </summary>
public sealed class JpegChromaSmoothingTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ImageLoader _loader = new(ImageLimits.Default);

    public void Dispose() => _folder.Dispose();

    /// <summary>
    /// Colour changing smoothly across the picture, no channel clipped, with a soft luma ripple (Fixtures/README.md);
    /// 97x49, so neither side is a whole number of chroma samples and the last ones cover a single pixel.
    /// </summary>
    private static Image<Rgba32> Picture() => Image.Load<Rgba32>(RepoPaths.Fixture("smooth-colour.png"));

    private LoadedImage Load(byte[] jpeg)
    {
        string path = _folder.File("photo.jpg");
        File.WriteAllBytes(path, jpeg);
        return _loader.Load(path, 2);
    }

    /// <summary>PSNR (8-bit scale) of <paramref name="pixels"/> (the loader's planes, or ImageSharp's decode) against the picture.</summary>
    private static double Psnr(Image<Rgba32> original, Func<int, int, int, double> pixels)
    {
        double sum = 0;
        for (int y = 0; y < original.Height; y++)
        {
            for (int x = 0; x < original.Width; x++)
            {
                var o = original[x, y];
                sum += Math.Pow(pixels(0, y, x) - o.R, 2) + Math.Pow(pixels(1, y, x) - o.G, 2) + Math.Pow(pixels(2, y, x) - o.B, 2);
            }
        }
        return 10 * Math.Log10(255.0 * 255 / (sum / (3.0 * original.Width * original.Height)));
    }

    private static Func<int, int, int, double> Planes(LoadedImage loaded) => (c, y, x) => loaded.Pixels[c, y, x] * 255.0;

    private static Func<int, int, int, double> Decoded(Image<Rgba32> image) => (c, y, x) => c switch
    {
        0 => image[x, y].R,
        1 => image[x, y].G,
        _ => image[x, y].B,
    };

    /// <summary>ImageSharp's encoder writes 4:2:0 (its 4:2:2 is 4:4:4); libjpeg's cjpeg wrote the 4:2:2 fixture from the same picture.</summary>
    [Theory]
    [InlineData("4:2:0")]
    [InlineData("4:2:2")]
    public void Subsampled_chroma_is_interpolated_and_reads_closer_to_the_encoded_picture_than_ImageSharps_blocks(string sampling)
    {
        using var original = Picture();
        var jpeg = sampling == "4:2:0"
            ? FixtureImages.Encode(original, new JpegEncoder { Quality = 95, ColorType = JpegColorType.YCbCrRatio420 })
            : File.ReadAllBytes(RepoPaths.Fixture("libjpeg-422.jpg"));
        using var blocky = Image.Load<Rgba32>(jpeg);
        var loaded = Load(jpeg);
        double imageSharp = Psnr(original, Decoded(blocky)), ours = Psnr(original, Planes(loaded));
        // The blocks' steps are most of the error of a smooth picture at q95: interpolated, most of it goes (6 dB for the 4:2:2 file).
        Assert.True(ours > imageSharp + 3, $"read at {ours:0.00} dB against the picture; ImageSharp's blocks at {imageSharp:0.00} dB");
    }

    [Fact]
    public void Full_resolution_chroma_is_read_as_ImageSharp_decodes_it()
    {
        using var original = Picture();
        var jpeg = FixtureImages.Encode(original, new JpegEncoder { Quality = 95, ColorType = JpegColorType.YCbCrRatio444 });
        using var decoded = Image.Load<Rgba32>(jpeg);
        var loaded = Load(jpeg);
        var expected = Decoded(decoded);
        for (int y = 0; y < original.Height; y++)
            for (int x = 0; x < original.Width; x++)
                for (int c = 0; c < 3; c++)
                    Assert.Equal(expected(c, y, x), Math.Round(loaded.Pixels[c, y, x] * 255), 3);
    }
}
