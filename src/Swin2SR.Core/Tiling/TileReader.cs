using Swin2SR.Core.Imaging;

namespace Swin2SR.Core.Tiling;

/// <summary>
/// Copies one tile of an image into a [3,H,W] slot of a batch tensor. Positions before or past the image repeat
/// its edge pixel: the edge context of <see cref="TileAxis"/>.
/// </summary>
internal static class TileReader
{
    public static void Read(PlanarImage image, TilePlan plan, int index, Span<float> destination)
    {
        var (tw, th) = plan.Tile;
        var (column, row) = plan.Position(index);
        int x0 = plan.Columns.Starts[column];
        int y0 = plan.Rows.Starts[row];
        int w = image.Width;
        int h = image.Height;
        // Columns inside the image are copied as one run; those before and after it repeat the edge pixels.
        int first = Math.Clamp(-x0, 0, tw);
        int from = Math.Clamp(x0, 0, w);
        int inside = Math.Min(w - from, tw - first);
        for (int c = 0; c < 3; c++)
        {
            var plane = image.Plane(c);
            for (int y = 0; y < th; y++)
            {
                var source = plane.Slice(Math.Clamp(y0 + y, 0, h - 1) * w, w);
                var target = destination.Slice((c * th + y) * tw, tw);
                target[..first].Fill(source[0]);
                source.Slice(from, inside).CopyTo(target.Slice(first, inside));
                target[(first + inside)..].Fill(source[w - 1]);
            }
        }
    }
}
