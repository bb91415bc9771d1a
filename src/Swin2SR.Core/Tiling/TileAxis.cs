namespace Swin2SR.Core.Tiling;

/// <summary>
/// Where tiles start along one axis, and how much each tile's output counts at each output position.
/// </summary>
/// <remarks>
/// The image counts as extended by repeated edge pixels: at least <see cref="Context"/> on each side, before it as
/// many as make a whole window (<see cref="LeadContext"/>), after it up to a multiple of the window. A model's
/// output is poorest within a few pixels of where its input ends (its convolutions pad with zeros there): without
/// that context the embedded model turned the corners of a white product photo beige, (215,201,191), and a 1x1
/// image into a gradient; with 2 pixels a flat colour's edges were still up to 28 levels off, with 4 none.
/// Repeating the edge pixel beat mirroring on Set5 x4 (30.19 against 30.08 dB PSNR-Y over the whole image; 30.16
/// dB with neither). A whole window before the image keeps the model's windows where a whole-image pass without
/// context has them (the reference implementations pad only after the image): away from the borders the output is
/// theirs, where 4 pixels shifted every window and a random-weight model's output by 36 dB. A tile of one window
/// has no room for context.
///
/// Tiles are spread evenly over that extended axis so that every neighbouring pair overlaps by at least the
/// requested overlap, the first tile starts where the extension starts and the last ends where it ends. The
/// blend weight of a tile rises across each overlap it shares with a neighbour: zero over the quarter nearest its
/// own cut edge (where its receptive field saw padding instead of the neighbour's pixels), a raised-cosine ramp
/// over the middle half, full weight beyond. Weights are then normalised so that they sum to exactly one at every
/// position: a model whose receptive field is within a quarter of the overlap stitches to the same result as the
/// whole extended image in one piece, and there is no visible seam.
/// </remarks>
public sealed class TileAxis
{
    private TileAxis(int[] starts, int tile, int length, int scale, int context, float[][] weights)
    {
        Starts = starts;
        Context = context;
        Tile = tile;
        Length = length;
        Scale = scale;
        _weights = weights;
    }

    private readonly float[][] _weights;

    /// <summary>Input pixels of repeated edge at least on each side of the image, where the tile has room.</summary>
    public const int EdgeContext = 4;

    /// <summary>The least edge context of this axis: <see cref="EdgeContext"/>, or less for tiles too small to hold it.</summary>
    public int Context { get; }

    /// <summary>The edge context before the image: <see cref="Context"/> rounded up to a whole window.</summary>
    public int LeadContext => Starts.Count > 0 ? -Starts[0] : 0;

    /// <summary>Start of each tile, in input pixels; the first is <c>-LeadContext</c>.</summary>
    public IReadOnlyList<int> Starts { get; }
    public int Tile { get; }
    public int Length { get; }
    public int Scale { get; }
    public int Count => Starts.Count;

    /// <summary>Weights of tile <paramref name="index"/> for each of its output positions that fall inside the image.</summary>
    public ReadOnlySpan<float> Weights(int index) => _weights[index];

    /// <summary>Output positions of tile <paramref name="index"/> that lie inside the image (the rest is padding).</summary>
    public int OutputExtent(int index) => _weights[index].Length;

    /// <summary>Where the image begins in tile <paramref name="index"/>'s output (not at 0 for the first tile).</summary>
    public int OutputLead(int index) => Lead(Starts[index]) * Scale;

    /// <summary>Where tile <paramref name="index"/>'s output begins in the image's output.</summary>
    public int OutputStart(int index) => InImage(Starts[index]) * Scale;

    // The first tile starts before the image: its first pixels are edge context, and it covers the image from 0.
    private static int Lead(int start) => Math.Max(0, -start);

    private static int InImage(int start) => Math.Max(0, start);

    /// <param name="align">
    /// Tiles start on multiples of this (the model's window) from the start of the image, and the extended axis is a
    /// multiple of it long, as a whole-image pass pads it: a window-attention model then sees the same windows in
    /// every tile as on the whole image, so tiling changes its output only near the seams.
    /// </param>
    /// <param name="edgeContext">The least edge context: <see cref="EdgeContext"/>, or 0 for a model with a fixed input
    /// size, whose window is unknown and whose one tile size has no room to spare.</param>
    public static TileAxis Plan(int length, int tile, int overlap, int scale, int align, int edgeContext = EdgeContext)
    {
        if (length <= 0) throw new ArgumentOutOfRangeException(nameof(length));
        if (tile <= 0 || align <= 0 || tile % align != 0)
            throw new ArgumentOutOfRangeException(nameof(tile), $"The tile size ({tile}) must be a positive multiple of {align}.");
        if (overlap < 0 || overlap * 2 > tile)
            throw new ArgumentOutOfRangeException(nameof(overlap), $"The overlap ({overlap}) must be between 0 and half the tile size ({tile}).");
        int context = ContextFor(tile, align, edgeContext);
        int[] starts = PlaceTiles(length, tile, overlap, align, context);
        return new TileAxis(starts, tile, length, scale, context, BlendWeights(starts, tile, length, scale));
    }

    /// <summary>How many tiles cover <paramref name="length"/> with at least <paramref name="overlap"/> between neighbours.</summary>
    public static int TilesNeeded(int length, int tile, int overlap, int align, int edgeContext = EdgeContext)
    {
        int padded = ExtendedLength(length, align, ContextFor(tile, align, edgeContext));
        return padded <= tile ? 1 : 1 + (int)Math.Ceiling((double)(padded - tile) / AlignedStride(tile, overlap, align));
    }

    /// <summary>The longest step between tile starts that keeps the overlap and the alignment.</summary>
    private static int AlignedStride(int tile, int overlap, int align) => Math.Max(align, (tile - overlap) / align * align);

    /// <summary>The image with its edge context: a lead of whole windows, and after it up to a multiple of the alignment.</summary>
    private static int ExtendedLength(int length, int align, int context) => RoundUp(context, align) + RoundUp(length + context, align);

    /// <summary>
    /// How much longer than an image whose length is a multiple of the window its extended axis is: what a tile needs
    /// beyond such an image's size to hold it whole (272 for 256, with a window of 8). -TileSize counts
    /// image pixels: every tile size gets this added, so an image of exactly that size is still one tile.
    /// </summary>
    public static int ContextRoom(int align) => 2 * RoundUp(EdgeContext, align);

    /// <summary>
    /// At most half of what a tile holds beyond one window: then the last tile, which ends where the extended image
    /// ends, still starts inside the image (a tile of nothing but context would be computed for nothing).
    /// </summary>
    private static int ContextFor(int tile, int align, int edgeContext) => Math.Clamp((tile - align) / 2, 0, edgeContext);

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    private static int[] PlaceTiles(int length, int tile, int overlap, int align, int context)
    {
        int count = TilesNeeded(length, tile, overlap, align, context);
        int lead = RoundUp(context, align);
        if (count == 1)
            return [-lead];
        // Spread evenly in whole alignment units; the last tile ends where the extended image ends. Each step is at
        // most ceil(span / (count - 1)) units, which the count makes no longer than the aligned stride.
        long spanUnits = (ExtendedLength(length, align, context) - tile) / align;
        var starts = new int[count];
        for (int i = 0; i < count; i++)
            starts[i] = (int)(i * spanUnits / (count - 1)) * align - lead;
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
                double rise = i == 0 ? 1 : Ramp(x - starts[i] * scale, (starts[i - 1] + tile - starts[i]) * scale);
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
