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
    /// can take the size that fits it best. On RealSRSet that leaves 15% of the computed pixels to padding, edge
    /// context and overlap, against 25% with <see cref="Candidates"/>; on Set5's small x4 inputs 33% against 45%.
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

    /// <summary>The overlap used with a tile size: the requested one, at most half the tile.</summary>
    public static int OverlapFor(int tile, int overlap) => Math.Min(overlap, tile / 2);

    public static int Choose(int width, int height, IReadOnlyList<int> candidates, int overlap, int align, int edgeContext = TileAxis.EdgeContext)
    {
        int best = candidates[0];
        long bestCost = long.MaxValue;
        foreach (int t in candidates)
        {
            long cost = ComputedPixels(width, height, t, OverlapFor(t, overlap), align, edgeContext);
            // Ties go to the larger tile (listed first): fewer seams, fewer calls.
            if (cost < bestCost)
            {
                best = t;
                bestCost = cost;
            }
        }
        return best;
    }

    public static long ComputedPixels(int width, int height, int tile, int overlap, int align, int edgeContext = TileAxis.EdgeContext) =>
        (long)TileAxis.TilesNeeded(width, tile, overlap, align, edgeContext) * TileAxis.TilesNeeded(height, tile, overlap, align, edgeContext) * tile * tile;
}
