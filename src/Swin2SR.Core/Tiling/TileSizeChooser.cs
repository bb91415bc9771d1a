namespace Swin2SR.Core.Tiling;

/// <summary>
/// Picks, per image, the tile size that computes the fewest pixels. Every tile is padded to a full T x T and
/// overlaps cost twice, so a 120x120 photo in one 272 tile computes 5.1x its own pixels while one 144 tile, its
/// edge context included, computes 1.4x. The candidates are a few fixed sizes (the largest allowed, then steps of three quarters and one
/// half of it, down to twice the window, each with <see cref="TileAxis.ContextRoom"/> added), so batches still share a
/// handful of shapes. The three-quarter steps matter: on the 25 photos of RealSRSet, halves alone from 256
/// wasted 29.5% of the computed pixels on padding and overlap, with the three-quarter sizes 20.3% (bench: tiling;
/// before edge context). That is for GPUs; runs on CPUs alone take <see cref="EveryWindowMultiple"/>.
/// </summary>
public static class TileSizeChooser
{
    /// <summary>
    /// Every multiple of the window from the largest tile down to twice the window: for a run on CPUs only, where
    /// a tile shape costs nothing to add (no kernel tuning, and a CPU gains little from batching), so each image
    /// can take the size that fits it best, each side on its own (<see cref="ChooseEachSide"/>). On RealSRSet that
    /// leaves 14.3% of the computed pixels to padding, edge context and overlap (14.9% with square tiles), against
    /// 24.9% with <see cref="Candidates"/>; on Set5's small x4 inputs 29.2% (33.1%) against 45.2%.
    /// </summary>
    public static IReadOnlyList<int> EveryWindowMultiple(int maxTile, int window)
    {
        var sizes = new List<int>();
        for (int t = maxTile / window * window; t >= 2 * window; t -= window)
            sizes.Add(t + TileAxis.ContextRoom(window));
        return sizes.Count > 0 ? sizes : [maxTile + TileAxis.ContextRoom(window)];
    }

    public static IReadOnlyList<int> Candidates(int maxTile, int window)
    {
        var sizes = new List<int>();
        for (int t = maxTile; t >= 2 * window && t % window == 0; t /= 2)
        {
            sizes.Add(t + TileAxis.ContextRoom(window));
            int threeQuarters = t * 3 / 4 / window * window;
            if (threeQuarters > t / 2 && threeQuarters >= 2 * window)
                sizes.Add(threeQuarters + TileAxis.ContextRoom(window));
        }
        return sizes.Count > 0 ? sizes : [maxTile + TileAxis.ContextRoom(window)];
    }

    /// <summary>The overlap used with a tile side: the requested one, at most half the side.</summary>
    public static int OverlapFor(int tile, int overlap) => Math.Min(overlap, tile / 2);

    /// <summary>The square tile that computes the fewest pixels: for GPUs, whose batches take one shape.</summary>
    public static TileShape ChooseSquare(int width, int height, IReadOnlyList<int> candidates, int overlap, int align, int edgeContext = TileAxis.EdgeContext) =>
        TileShape.Square(Fewest(candidates, t => ComputedPixels(width, height, TileShape.Square(t), overlap, align, edgeContext)));

    /// <summary>
    /// Each side on its own, for the CPU, where a shape costs nothing to add: a tile's pixels are its sides' product,
    /// so the sides that each compute the fewest along their axis compute the fewest together. An image of one tile
    /// is then computed at its extended size (a 57x86 thumbnail at 72x104, not in a 104x104 square).
    /// </summary>
    public static TileShape ChooseEachSide(int width, int height, IReadOnlyList<int> candidates, int overlap, int align, int edgeContext = TileAxis.EdgeContext) =>
        new(Fewest(candidates, t => AxisPixels(width, t, overlap, align, edgeContext)),
            Fewest(candidates, t => AxisPixels(height, t, overlap, align, edgeContext)));

    /// <summary>The pixels computed for an image: along each axis, its tiles times their side.</summary>
    public static long ComputedPixels(int width, int height, TileShape tile, int overlap, int align, int edgeContext = TileAxis.EdgeContext) =>
        AxisPixels(width, tile.Width, overlap, align, edgeContext) * AxisPixels(height, tile.Height, overlap, align, edgeContext);

    private static long AxisPixels(int length, int tile, int overlap, int align, int edgeContext) =>
        (long)TileAxis.TilesNeeded(length, tile, OverlapFor(tile, overlap), align, edgeContext) * tile;

    /// <summary>The candidate of least cost; ties go to the larger tile (listed first): fewer seams, fewer calls.</summary>
    private static int Fewest(IReadOnlyList<int> candidates, Func<int, long> cost)
    {
        int best = candidates[0];
        long bestCost = long.MaxValue;
        foreach (int t in candidates)
        {
            long c = cost(t);
            if (c < bestCost)
            {
                best = t;
                bestCost = c;
            }
        }
        return best;
    }
}
