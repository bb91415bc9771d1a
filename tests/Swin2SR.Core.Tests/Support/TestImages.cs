using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Swin2SR.Core.Tests.Support;

/// <summary>Random images written as real files, and the reference upscales the tests compare against.</summary>
internal static class TestImages
{
    public static Rgb24[] RandomPixels(Random random, int width, int height)
    {
        var pixels = new Rgb24[width * height];
        var bytes = new byte[3];
        for (int i = 0; i < pixels.Length; i++)
        {
            random.NextBytes(bytes);
            pixels[i] = new Rgb24(bytes[0], bytes[1], bytes[2]);
        }
        return pixels;
    }

    /// <summary>
    /// A picture with content at every scale: red rises left to right, green top to bottom, blue is noise. Broken
    /// outputs (its negative) are far from it even in coarse blocks, where pure noise would average to grey.
    /// </summary>
    public static Rgb24[] GradientsAndNoise(Random random, int width, int height)
    {
        var pixels = RandomPixels(random, width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                ref var pixel = ref pixels[y * width + x];
                pixel.R = (byte)(255 * x / Math.Max(1, width - 1));
                pixel.G = (byte)(255 * y / Math.Max(1, height - 1));
            }
        return pixels;
    }

    public static void SavePng(string path, Rgb24[] pixels, int width, int height)
    {
        using var image = Image.LoadPixelData<Rgb24>(pixels, width, height);
        image.SaveAsPng(path);
    }

    public static Rgb24[] LoadPixels(string path, out int width, out int height)
    {
        using var image = Image.Load<Rgb24>(path);
        width = image.Width;
        height = image.Height;
        var pixels = new Rgb24[width * height];
        image.CopyPixelDataTo(pixels);
        return pixels;
    }

    public static Rgb24[] NearestUpscale(Rgb24[] pixels, int width, int height, int scale)
    {
        var output = new Rgb24[width * scale * height * scale];
        for (int y = 0; y < height * scale; y++)
            for (int x = 0; x < width * scale; x++)
                output[y * width * scale + x] = pixels[y / scale * width + x / scale];
        return output;
    }

    /// <summary>
    /// What the pipeline makes of boxblur-x2.onnx: a 3x3 mean, then nearest x2, rounded to 8 bits. The model mirrors
    /// its own borders, but the pipeline gives it the image's edge pixels repeated there (TileAxis.EdgeContext).
    /// </summary>
    public static Rgb24[] BoxBlurNearest2x(Rgb24[] pixels, int width, int height)
    {
        var blurred = new Rgb24[pixels.Length];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int r = 0, g = 0, b = 0;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        var p = pixels[Math.Clamp(y + dy, 0, height - 1) * width + Math.Clamp(x + dx, 0, width - 1)];
                        r += p.R; g += p.G; b += p.B;
                    }
                // A sum of nine levels divided by 9 is never exactly half-way, so rounding is unambiguous.
                blurred[y * width + x] = new Rgb24((byte)Math.Round(r / 9.0), (byte)Math.Round(g / 9.0), (byte)Math.Round(b / 9.0));
            }
        return NearestUpscale(blurred, width, height, 2);
    }
}
