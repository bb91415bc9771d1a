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
        Output = new PlanarImage(inputWidth * plan.Scale, inputHeight * plan.Scale);
        _landed = new bool[plan.Count];
        _remaining = plan.Count;
    }

    public PlanarImage Output { get; }

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
        int outWidth = Output.Width;
        lock (_gate)
        {
            if (_landed[index])
                throw new InvalidOperationException($"Tile {index} was stitched twice.");
            _landed[index] = true;
            for (int c = 0; c < 3; c++)
            {
                var plane = Output.Plane(c);
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
