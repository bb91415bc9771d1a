using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>
/// A PNG without an alpha channel may name one colour transparent (a tRNS colour key). Its 16-bit values are
/// big-endian, as everything in a PNG; ImageSharp 2.1 read them little-endian, so a 16-bit key never matched
/// (the transparent areas came out opaque) and a colour equal to the byte-swapped key turned transparent.
/// </summary>
public sealed class PngColourKeyTests : IDisposable
{
    private const int Width = 6, Height = 4;

    private readonly TempFolder _folder = new();
    private readonly ImageLoader _loader = new(ImageLimits.Default);

    public void Dispose() => _folder.Dispose();

    // The key 0x03E8 and its byte swap 0xE803 are both in the picture: only the first may turn transparent.
    private const ushort Key = 0x03E8, SwappedKey = 0xE803;

    private static ushort Value(int x, int y) => x < 2 ? Key : x < 4 ? SwappedKey : (ushort)(y * 9000 + 1234);

    private static byte[] KeyBytes(int channels) => [.. Enumerable.Repeat(new byte[] { Key >> 8, Key & 0xFF }, channels).SelectMany(b => b)];

    private LoadedImage Load(byte[] png, byte[] key)
    {
        string path = _folder.File("keyed.png");
        File.WriteAllBytes(path, FixtureImages.WithChunk(png, "tRNS", key));
        return _loader.Load(path, 2);
    }

    private static void AssertKeyedOut(LoadedImage loaded)
    {
        Assert.NotNull(loaded.Alpha);
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
                Assert.Equal(Value(x, y) == Key ? 0f : 1f, loaded.Alpha![y * Width + x]);
        Assert.Equal(16, loaded.Traits.BitDepth);
    }

    [Fact]
    public void A_16_bit_rgb_png_makes_the_pixels_of_its_key_colour_transparent_and_no_others()
    {
        using var image = FixtureImages.Pattern(Width, Height, (x, y) => new Rgb48(Value(x, y), Value(x, y), Value(x, y)));
        var png = FixtureImages.Encode(image, new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit16 });
        AssertKeyedOut(Load(png, KeyBytes(3)));
    }

    [Fact]
    public void A_16_bit_gray_png_makes_the_pixels_of_its_key_level_transparent_and_no_others()
    {
        using var image = FixtureImages.Pattern(Width, Height, (x, y) => new L16(Value(x, y)));
        var png = FixtureImages.Encode(image, new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit16 });
        AssertKeyedOut(Load(png, KeyBytes(1)));
    }
}
