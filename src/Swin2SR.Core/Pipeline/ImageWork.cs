using Swin2SR.Core.Imaging;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Tiling;

namespace Swin2SR.Core.Pipeline;

/// <summary>An image in flight: decoded, cut into tiles, its output filling as tiles come back.</summary>
internal sealed class ImageWork
{
    public ImageWork(UpscaleItem item, PlanarImage input, TilePlan plan, WorkTime spent, Precision precision)
    {
        Item = item;
        Precision = precision;
        Input = input;
        InputWidth = input.Width;
        InputHeight = input.Height;
        Spent = spent;
        Plan = plan;
        Canvas = new StitchCanvas(plan, input.Width, input.Height);
    }

    public UpscaleItem Item { get; }

    /// <summary>Kept until the output is written: a device out of memory, or the quality gate, may need the image run again.</summary>
    public PlanarImage? Input { get; set; }

    public TilePlan Plan { get; private set; }
    public StitchCanvas Canvas { get; private set; }

    /// <summary>Bumped when the image is cut again; tiles of an older cut are dropped.</summary>
    public int Generation { get; private set; }

    /// <summary>The arithmetic its tiles run in: the run's, until a failed fp16 output is redone in fp32.</summary>
    public Precision Precision { get; private set; }

    /// <summary>How the image was run again after the quality gate rejected an output ("redone in fp32"), for the result.</summary>
    public List<(string Change, string Failure)> Redos { get; } = [];

    /// <summary>A redo has widened the overlap already: the policy widens it once.</summary>
    public bool OverlapWidened { get; private set; }

    /// <summary>The work done on the image so far, its alpha part's included (both parts add to the one clock).</summary>
    public WorkTime Spent { get; }

    public int InputWidth { get; }
    public int InputHeight { get; }

    /// <summary>Set once when the image fails mid-flight; its remaining tiles are then dropped.</summary>
    public bool Failed { get; set; }

    /// <summary>What the image holds against the run's memory budget, given back when it leaves.</summary>
    public long ReservedBytes { get; init; }

    /// <summary>The decoded source: alpha, traits, metadata and warnings, for the quality gate and the writer.</summary>
    public LoadedImage? Source { get => _source; init => _source = value; }
    private LoadedImage? _source;

    /// <summary>
    /// Drops the image's input, decoded source and output (its alpha part's too) once it has left the pipeline, so
    /// that the collection that follows a large image frees them whatever still refers to this work or its tiles
    /// (a device worker's last tile, a frame of the encoder that wrote it): otherwise they were freed only with the
    /// next image's collection, and the next image was decoded beside them.
    /// </summary>
    public void LetGoOfPixels()
    {
        Input = null;
        _source = null;
        Canvas.Release();
        AlphaPart?.LetGoOfPixels();
    }

    /// <summary>-AlphaMode Model: the alpha plane as a gray image of its own, upscaled alongside the colour.</summary>
    public ImageWork? AlphaPart { get; private set; }

    /// <summary>For an alpha part, the image it belongs to; the image itself otherwise. Results and failures are the whole's.</summary>
    public ImageWork Whole => _owner ?? this;

    private ImageWork? _owner;
    private int _partsLeft = 1;

    /// <summary>Adds the alpha part (same size and plan as the colour): the image is complete once both are.</summary>
    public ImageWork AddAlphaPart(PlanarImage alphaAsGray)
    {
        AlphaPart = new ImageWork(Item, alphaAsGray, Plan, Spent, Precision) { _owner = this };
        _partsLeft = 2;
        return AlphaPart;
    }

    /// <summary>Called once per part when its last tile lands; true when the whole image is complete.</summary>
    public bool CompletePart() => Interlocked.Decrement(ref Whole._partsLeft) == 0;

    /// <summary>The share of the whole image's tiles (its alpha part's too) that have come back, 0 to 1.</summary>
    public double TilesDone => AlphaPart is { } alpha ? (Canvas.Filled + alpha.Canvas.Filled) / 2 : Canvas.Filled;

    public IEnumerable<TileWork> Tiles()
    {
        var (plan, canvas, generation, precision) = (Plan, Canvas, Generation, Precision);
        return Enumerable.Range(0, plan.Count).Select(i => new TileWork(this, i, generation, plan, canvas, precision));
    }

    /// <summary>Starts this part over with another tile size (after an out-of-memory at batch size one).</summary>
    public IEnumerable<TileWork> Retile(TileShape tile, int overlap) => Recut(tile, overlap, Precision);

    /// <summary>
    /// Starts the whole image over (colour and alpha part) in another precision or with another overlap, after its
    /// output failed the quality gate; returns the tiles of every part.
    /// </summary>
    public IEnumerable<TileWork> Redo(int overlap, Precision precision)
    {
        OverlapWidened |= overlap > Plan.Overlap;
        _partsLeft = AlphaPart is null ? 1 : 2;
        var tiles = Recut(Plan.Tile, overlap, precision).ToList();
        if (AlphaPart is { } alpha)
            tiles.AddRange(alpha.Recut(Plan.Tile, overlap, precision));
        return tiles;
    }

    private IEnumerable<TileWork> Recut(TileShape tile, int overlap, Precision precision)
    {
        Generation++;
        Precision = precision;
        Plan = new TilePlan(InputWidth, InputHeight, tile, overlap, Plan.Scale, Plan.Align, Plan.EdgeContext);
        Canvas = new StitchCanvas(Plan, InputWidth, InputHeight);
        return Tiles();
    }
}

/// <summary>
/// One tile of one cut of an image, the unit the batcher packs into [B,3,H,W]. It carries the plan and canvas of
/// its cut, so a tile of a cut abandoned meanwhile lands harmlessly on the abandoned canvas.
/// </summary>
internal readonly record struct TileWork(ImageWork Image, int Index, int Generation, TilePlan Plan, StitchCanvas Canvas, Precision Precision)
{
    public bool IsStale => Image.Failed || Image.Generation != Generation;
    public TileShape Shape => Plan.Tile;

    /// <summary>Tiles of one shape and one precision run together in a batch.</summary>
    public (TileShape Shape, Precision Precision) BatchKey => (Plan.Tile, Precision);
}
