using Swin2SR.Core.Imaging;

namespace Swin2SR.Core.Tiling;

/// <summary>
/// Accumulates the weighted outputs of an image's tiles. The weights of <see cref="TileAxis"/> sum to one at
/// every position, so no weight plane is kept: the canvas is the output image once its last tile has landed.
/// Tiles may arrive in any order and from any thread, but each tile exactly once.
/// </summary>
public sealed class StitchCanvas
{
    private readonly TilePlan _plan;
    private readonly object _gate = new();
    private readonly bool[] _landed;
    private int _remaining;

    public StitchCanvas(TilePlan plan, int inputWidth, int inputHeight)
    {
        _plan = plan;
        _output = new PlanarImage(inputWidth * plan.Scale, inputHeight * plan.Scale);
        _landed = new bool[plan.Count];
        _remaining = plan.Count;
    }

    public PlanarImage Output => _output ?? throw new InvalidOperationException("The canvas was released: its image has left.");
    private PlanarImage? _output;

    /// <summary>
    /// Lets go of the output once its image has left (written, rejected or failed). A tile or a worker's stack may
    /// still refer to this canvas for a while (the last tile a worker read stays in its frame until the next), and
    /// that kept the whole output of a 12000x8000 image (1.1 GB) from the collection made for the next image.
    /// Tiles that land afterwards are dropped.
    /// </summary>
    public void Release()
    {
        lock (_gate)
            _output = null;
    }

    /// <summary>The share of the tiles that have landed, 0 to 1.</summary>
    public double Filled => 1 - (double)Volatile.Read(ref _remaining) / _landed.Length;

    /// <summary>Adds tile <paramref name="index"/> ([3, H*s, W*s]); returns true when it was the last one.</summary>
    public bool Add(int index, ReadOnlySpan<float> tileOutput)
    {
        int width = _plan.Tile.Width * _plan.Scale, height = _plan.Tile.Height * _plan.Scale;
        if (tileOutput.Length != 3 * width * height)
            throw new ArgumentException($"Tile output has {tileOutput.Length} values, expected {3 * width * height}.", nameof(tileOutput));
        var (column, row) = _plan.Position(index);
        var wx = _plan.Columns.Weights(column);
        var wy = _plan.Rows.Weights(row);
        int ox = _plan.Columns.OutputStart(column), leadX = _plan.Columns.OutputLead(column);
        int oy = _plan.Rows.OutputStart(row), leadY = _plan.Rows.OutputLead(row);
        lock (_gate)
        {
            if (_output is null)
                return false;
            int outWidth = _output.Width;
            if (_landed[index])
                throw new InvalidOperationException($"Tile {index} was stitched twice.");
            _landed[index] = true;
            for (int c = 0; c < 3; c++)
            {
                var plane = _output.Plane(c);
                for (int y = 0; y < wy.Length; y++)
                {
                    var source = tileOutput.Slice((c * height + leadY + y) * width + leadX, wx.Length);
                    var target = plane.Slice((oy + y) * outWidth + ox, wx.Length);
                    float rowWeight = wy[y];
                    for (int x = 0; x < wx.Length; x++)
                        target[x] += source[x] * (wx[x] * rowWeight);
                }
            }
            return --_remaining == 0;
        }
    }
}
