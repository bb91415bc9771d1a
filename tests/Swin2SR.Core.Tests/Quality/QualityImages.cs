using Swin2SR.Core.Imaging;

namespace Swin2SR.Core.Tests.Quality;

/// <summary>Small images with chosen 8-bit pixel values, held the way the loader holds them (value / 255).</summary>
internal static class QualityImages
{
    public static PlanarImage FromRgb(int width, int height, Func<int, int, (byte R, byte G, byte B)> pixel)
    {
        var image = new PlanarImage(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                var (r, g, b) = pixel(x, y);
                image[0, y, x] = r / 255f;
                image[1, y, x] = g / 255f;
                image[2, y, x] = b / 255f;
            }
        return image;
    }

    public static PlanarImage Gray(int width, int height, Func<int, int, byte> level) =>
        FromRgb(width, height, (x, y) => (level(x, y), level(x, y), level(x, y)));

    /// <summary>Random colours in [low, high], so that an offset of up to 255 - high never clips.</summary>
    public static PlanarImage Random(int width, int height, int seed, byte low = 0, byte high = 255)
    {
        var random = new Random(seed);
        var levels = new byte[width * height * 3];
        for (int i = 0; i < levels.Length; i++)
            levels[i] = (byte)random.Next(low, high + 1);
        return FromRgb(width, height, (x, y) =>
        {
            int i = 3 * (y * width + x);
            return (levels[i], levels[i + 1], levels[i + 2]);
        });
    }

    /// <summary>The same image with <paramref name="offset"/> added to every channel of every pixel.</summary>
    public static PlanarImage Offset(PlanarImage image, int offset) =>
        FromRgb(image.Width, image.Height, (x, y) => (Level(image, 0, x, y, offset), Level(image, 1, x, y, offset), Level(image, 2, x, y, offset)));

    /// <summary>A copy of the image's top-left <paramref name="width"/> x <paramref name="height"/> block.</summary>
    public static PlanarImage TopLeft(PlanarImage image, int width, int height) =>
        FromRgb(width, height, (x, y) => (Level(image, 0, x, y, 0), Level(image, 1, x, y, 0), Level(image, 2, x, y, 0)));

    private static byte Level(PlanarImage image, int channel, int x, int y, int offset) =>
        checked((byte)(Math.Round(image[channel, y, x] * 255) + offset));
}
