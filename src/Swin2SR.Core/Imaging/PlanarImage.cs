namespace Swin2SR.Core.Imaging;

/// <summary>
/// An RGB image as three float planes in [0,1], the layout the models take ([3,H,W], row-major).
/// Planar rather than interleaved so that a tile copies into a [B,3,T,T] tensor row by row.
/// </summary>
public sealed class PlanarImage
{
    public PlanarImage(int width, int height)
        : this(width, height, new float[checked(3L * width * height)])
    {
    }

    public PlanarImage(int width, int height, float[] data)
    {
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"An image must have a positive size, not {width}x{height}.");
        if (data.LongLength != 3L * width * height)
            throw new ArgumentException($"Expected {3L * width * height} values for {width}x{height}, got {data.LongLength}.", nameof(data));
        Width = width;
        Height = height;
        Data = data;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Plane-major: all of R, then all of G, then all of B.</summary>
    public float[] Data { get; }

    public int PlaneLength => Width * Height;

    public Span<float> Plane(int channel) => Data.AsSpan(channel * PlaneLength, PlaneLength);

    public float this[int channel, int y, int x]
    {
        get => Data[channel * PlaneLength + y * Width + x];
        set => Data[channel * PlaneLength + y * Width + x] = value;
    }
}
