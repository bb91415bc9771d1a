using Swin2SR.Core.Imaging;

namespace Swin2SR.Core.Tiling;

/// <summary>Copies one tile of an image into a [3,T,T] slot of a batch tensor, mirroring past the borders.</summary>
internal static class TileReader
{
    public static void Read(PlanarImage image, TilePlan plan, int index, Span<float> destination)
    {
        int t = plan.Tile;
        var (column, row) = plan.Position(index);
        int x0 = plan.Columns.Starts[column];
        int y0 = plan.Rows.Starts[row];
        int w = image.Width;
        int h = image.Height;
        // Columns read straight from the row; those before or past the image are mirrored one by one.
        int inside = x0 < 0 ? 0 : Math.Min(t, w - x0);
        for (int c = 0; c < 3; c++)
        {
            var plane = image.Plane(c);
            for (int y = 0; y < t; y++)
            {
                int sourceRow = MirrorIndex.Reflect(y0 + y, h) * w;
                var target = destination.Slice((c * t + y) * t, t);
                if (inside > 0)
                    plane.Slice(sourceRow + x0, inside).CopyTo(target);
                for (int x = inside; x < t; x++)
                    target[x] = plane[sourceRow + MirrorIndex.Reflect(x0 + x, w)];
            }
        }
    }
}
