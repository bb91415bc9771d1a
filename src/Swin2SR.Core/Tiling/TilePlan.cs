namespace Swin2SR.Core.Tiling;

/// <summary>The tiles of one image: a grid of <see cref="TileAxis"/> columns by rows.</summary>
public sealed class TilePlan
{
    /// <param name="overlap">The overlap asked for; each axis takes at most half its side of the tile (<see cref="TileSizeChooser.OverlapFor"/>).</param>
    /// <param name="align">Tile starts fall on multiples of this: the model's window (see <see cref="TileAxis.Plan"/>).</param>
    /// <param name="edgeContext">The least edge context (see <see cref="TileAxis.Plan"/>).</param>
    public TilePlan(int width, int height, TileShape tile, int overlap, int scale, int align, int edgeContext = TileAxis.EdgeContext)
    {
        Columns = TileAxis.Plan(width, tile.Width, TileSizeChooser.OverlapFor(tile.Width, overlap), scale, align, edgeContext);
        Rows = TileAxis.Plan(height, tile.Height, TileSizeChooser.OverlapFor(tile.Height, overlap), scale, align, edgeContext);
        Align = align;
        EdgeContext = edgeContext;
        Tile = tile;
        Overlap = overlap;
        Scale = scale;
    }

    public TileAxis Columns { get; }
    public TileAxis Rows { get; }
    public TileShape Tile { get; }
    public int EdgeContext { get; }
    public int Overlap { get; }
    public int Align { get; }
    public int Scale { get; }
    public int Count => Columns.Count * Rows.Count;

    /// <summary>The pixels the model computes for the image: every tile in full, padding, edge context and overlap included.</summary>
    public long ComputedPixels => Count * Tile.Pixels;

    /// <summary>
    /// The longest side of the tile along which tiles meet (0 where they do not): an overlap up to half of it changes
    /// a seam. On a tile of one size both ways, that size.
    /// </summary>
    public int SeamedSide => Math.Max(Columns.Count > 1 ? Tile.Width : 0, Rows.Count > 1 ? Tile.Height : 0);

    public (int Column, int Row) Position(int index) => (index % Columns.Count, index / Columns.Count);
}
