namespace Swin2SR.Core.Quality;

/// <summary>One channel of an image as doubles on a 0-255 scale, row-major: what PSNR and SSIM are computed on.</summary>
public sealed class SamplePlane
{
    public SamplePlane(int width, int height, double[] values)
    {
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"A plane must have a positive size, not {width}x{height}.");
        if (values.Length != width * height)
            throw new ArgumentException($"Expected {width * height} values for {width}x{height}, got {values.Length}.", nameof(values));
        Width = width;
        Height = height;
        Values = values;
    }

    public int Width { get; }
    public int Height { get; }
    public double[] Values { get; }

    public double this[int y, int x] => Values[y * Width + x];
}
