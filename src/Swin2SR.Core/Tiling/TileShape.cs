namespace Swin2SR.Core.Tiling;

/// <summary>
/// The input size of a tile, in pixels. Square on GPUs, where a batch needs one shape and each shape is tuned; on
/// the CPU each side is chosen on its own (see <see cref="TileSizeChooser.ChooseEachSide"/>).
/// </summary>
public readonly record struct TileShape(int Width, int Height)
{
    public static TileShape Square(int side) => new(side, side);

    /// <summary>What a tile costs: compute and memory grow with its pixels (windowed attention keeps that linear).</summary>
    public long Pixels => (long)Width * Height;

    public int Longer => Math.Max(Width, Height);

    /// <summary>The shape with neither side over <paramref name="side"/>: a smaller tile after out-of-memory.</summary>
    public TileShape AtMost(int side) => new(Math.Min(Width, side), Math.Min(Height, side));

    public override string ToString() => $"{Width}x{Height}";
}
