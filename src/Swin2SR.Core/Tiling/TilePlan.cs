namespace Swin2SR.Core.Tiling;

/// <summary>The tiles of one image: a grid of <see cref="TileAxis"/> columns by rows.</summary>
public sealed class TilePlan
{
    /// <param name="align">Tile starts fall on multiples of this: the model's window (see <see cref="TileAxis.Plan"/>).</param>
    /// <param name="edgeContext">The least edge context (see <see cref="TileAxis.Plan"/>).</param>
    public TilePlan(int width, int height, int tile, int overlap, int scale, int align, int edgeContext = TileAxis.EdgeContext)
    {
        Columns = TileAxis.Plan(width, tile, overlap, scale, align, edgeContext);
        Rows = TileAxis.Plan(height, tile, overlap, scale, align, edgeContext);
        Align = align;
        EdgeContext = edgeContext;
        Tile = tile;
        Overlap = overlap;
        Scale = scale;
    }

    public TileAxis Columns { get; }
    public TileAxis Rows { get; }
    public int Tile { get; }
    public int EdgeContext { get; }
    public int Overlap { get; }
    public int Align { get; }
    public int Scale { get; }
    public int Count => Columns.Count * Rows.Count;

    public (int Column, int Row) Position(int index) => (index % Columns.Count, index / Columns.Count);
}
