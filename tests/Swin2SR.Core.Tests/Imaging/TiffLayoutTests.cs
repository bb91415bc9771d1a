using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>TIFF layouts ImageSharp 2.1 would decode into wrong pixels are refused; the layouts it reads right still load exactly.</summary>
public sealed class TiffLayoutTests : IDisposable
{
    private const int Width = 9, Height = 5;

    private readonly TempFolder _folder = new();
    private readonly ImageLoader _loader = new(ImageLimits.Default);

    public void Dispose() => _folder.Dispose();

    private static Rgb24 Pixel(int x, int y) => new((byte)(x * 29 + 3), (byte)(200 - y * 31), (byte)(x * y * 7 + 60));

    private string Save(string name, byte[] bytes)
    {
        string path = _folder.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_planar_tiff_with_a_predictor_is_UnsupportedFormat_and_says_how_to_resave_it(bool bigEndian)
    {
        string path = Save("planar.tif", HandMadeTiff.Rgb(Width, Height, Pixel, planar: true, predictor: 2, bigEndian));
        var error = Assert.Throws<ImageInputException>(() => _loader.Load(path, 2));
        Assert.Equal("UnsupportedFormat", error.ErrorId);
        Assert.Equal(ImageErrorKind.NotSupported, error.Kind);
        Assert.StartsWith(path + ": it is a TIFF whose colour channels are stored in separate planes (PlanarConfiguration 2) with a predictor (2, horizontal differencing)", error.Message);
        Assert.Contains("re-save it with contiguous (interleaved) pixel order", error.Reason);
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 2)]
    [InlineData(false, 1)]
    public void Planar_without_a_predictor_and_contiguous_with_one_load_exactly(bool planar, int predictor)
    {
        var loaded = _loader.Load(Save("ok.tif", HandMadeTiff.Rgb(Width, Height, Pixel, planar, predictor)), 2);
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
            {
                var p = Pixel(x, y);
                Assert.Equal((p.R, p.G, p.B), ((byte)Math.Round(loaded.Pixels[0, y, x] * 255), (byte)Math.Round(loaded.Pixels[1, y, x] * 255), (byte)Math.Round(loaded.Pixels[2, y, x] * 255)));
            }
    }
}
