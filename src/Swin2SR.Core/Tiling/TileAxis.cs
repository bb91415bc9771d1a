namespace Swin2SR.Core.Tiling;

/// <summary>
/// Where tiles start along one axis, and how much each tile's output counts at each output position.
/// </summary>
/// <remarks>
/// Tiles are spread evenly so that every neighbouring pair overlaps by at least the requested overlap and the
/// last tile ends exactly at the image edge (no tile hangs over the border unless the image is smaller than a
/// tile). An image narrower than the alignment (the model's window) is centred in its tile instead: a model's output
/// is poorest within a few pixels of a tile's edge (its convolutions pad with zeros there), and such an image is
/// nothing but edge; a 1x1 image came out a gradient that failed the quality gate. The blend weight of a tile rises across each overlap it shares with a neighbour: zero over the
/// quarter nearest its own cut edge (where its receptive field saw padding instead of the neighbour's
/// pixels), a raised-cosine ramp over the middle half, full weight beyond. Weights are then normalised so that
/// they sum to exactly one at every position: a model whose receptive field is within a quarter of the
/// overlap stitches to the same result as the whole image in one piece, and there is no visible seam.
/// </remarks>
public sealed class TileAxis
{
    private TileAxis(int[] starts, int tile, int length, int scale, float[][] weights)
    {
        Starts = starts;
        Tile = tile;
        Length = length;
        Scale = scale;
        _weights = weights;
    }

    private readonly float[][] _weights;

    /// <summary>Start of each tile, in input pixels; negative for a centred tile.</summary>
    public IReadOnlyList<int> Starts { get; }
    public int Tile { get; }
    public int Length { get; }
    public int Scale { get; }
    public int Count => Starts.Count;

    /// <summary>Weights of tile <paramref name="index"/> for each of its output positions that fall inside the image.</summary>
    public ReadOnlySpan<float> Weights(int index) => _weights[index];

    /// <summary>Output positions of tile <paramref name="index"/> that lie inside the image (the rest is padding).</summary>
    public int OutputExtent(int index) => _weights[index].Length;

    /// <summary>Where the image begins in tile <paramref name="index"/>'s output (not at 0 when the tile is centred).</summary>
    public int OutputLead(int index) => Lead(Starts[index]) * Scale;

    /// <summary>Where tile <paramref name="index"/>'s output begins in the image's output.</summary>
    public int OutputStart(int index) => InImage(Starts[index]) * Scale;

    // A centred tile starts before the image: its first pixels are padding, and it covers the image from 0.
    private static int Lead(int start) => Math.Max(0, -start);

    private static int InImage(int start) => Math.Max(0, start);

    /// <param name="align">
    /// Tiles start on multiples of this (the model's window) and the image counts as mirrored up to a multiple of
    /// it, as a whole-image pass pads it: a window-attention model then sees the same windows in every tile as on
    /// the whole image, so tiling changes its output only near the seams.
    /// </param>
    public static TileAxis Plan(int length, int tile, int overlap, int scale, int align)
    {
        if (length <= 0) throw new ArgumentOutOfRangeException(nameof(length));
        if (tile <= 0 || align <= 0 || tile % align != 0)
            throw new ArgumentOutOfRangeException(nameof(tile), $"The tile size ({tile}) must be a positive multiple of {align}.");
        if (overlap < 0 || overlap * 2 > tile)
            throw new ArgumentOutOfRangeException(nameof(overlap), $"The overlap ({overlap}) must be between 0 and half the tile size ({tile}).");
        int[] starts = PlaceTiles(length, tile, overlap, align);
        return new TileAxis(starts, tile, length, scale, BlendWeights(starts, tile, length, scale));
    }

    /// <summary>How many tiles cover <paramref name="length"/> with at least <paramref name="overlap"/> between neighbours.</summary>
    public static int TilesNeeded(int length, int tile, int overlap, int align)
    {
        int padded = RoundUp(length, align);
        return padded <= tile ? 1 : 1 + (int)Math.Ceiling((double)(padded - tile) / AlignedStride(tile, overlap, align));
    }

    /// <summary>The longest step between tile starts that keeps the overlap and the alignment.</summary>
    private static int AlignedStride(int tile, int overlap, int align) => Math.Max(align, (tile - overlap) / align * align);

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    private static int[] PlaceTiles(int length, int tile, int overlap, int align)
    {
        int count = TilesNeeded(length, tile, overlap, align);
        if (count == 1)
            return [length < align ? -((tile - length) / 2) : 0];
        // Spread evenly in whole alignment units; the last tile ends where the padded image ends. Each step is at
        // most ceil(span / (count - 1)) units, which the count makes no longer than the aligned stride.
        long spanUnits = (RoundUp(length, align) - tile) / align;
        var starts = new int[count];
        for (int i = 0; i < count; i++)
            starts[i] = (int)(i * spanUnits / (count - 1)) * align;
        return starts;
    }

    private static float[][] BlendWeights(int[] starts, int tile, int length, int scale)
    {
        int outLength = length * scale;
        var weights = new float[starts.Length][];
        var sum = new double[outLength];
        for (int i = 0; i < starts.Length; i++)
        {
            int outStart = InImage(starts[i]) * scale;
            int extent = Math.Min((tile - Lead(starts[i])) * scale, outLength - outStart);
            var w = new float[extent];
            for (int p = 0; p < extent; p++)
            {
                int x = outStart + p;
                double rise = i == 0 ? 1 : Ramp(x - outStart, (starts[i - 1] + tile) * scale - outStart);
                double fall = i == starts.Length - 1 ? 1 : 1 - Ramp(x - starts[i + 1] * scale, (starts[i] + tile - starts[i + 1]) * scale);
                w[p] = (float)(rise * fall);
                sum[x] += w[p];
            }
            weights[i] = w;
        }
        for (int i = 0; i < starts.Length; i++)
        {
            int outStart = InImage(starts[i]) * scale;
            var w = weights[i];
            for (int p = 0; p < w.Length; p++)
                w[p] = (float)(w[p] / sum[outStart + p]);
        }
        return weights;
    }

    /// <summary>0 before the overlap and over its first quarter, a raised cosine across the middle half, 1 after.</summary>
    private static double Ramp(int position, int overlapLength)
    {
        if (position < 0)
            return 0;
        if (position >= overlapLength)
            return 1;
        int dead = overlapLength / 4;
        int rising = overlapLength - 2 * dead;
        if (position < dead)
            return 0;
        if (position >= dead + rising)
            return 1;
        double t = (position - dead + 0.5) / rising;
        double s = Math.Sin(Math.PI / 2 * t);
        return s * s;
    }
}
