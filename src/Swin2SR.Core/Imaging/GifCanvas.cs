using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// A GIF's first image may cover only part of its logical screen (a sprite placed on a larger canvas). Browsers show
/// the rest transparent; ImageSharp 2.1 decodes it as opaque black, which the upscaled output would keep as a black
/// frame around the picture. The uncovered pixels are made transparent, so the output (with its alpha) shows what a
/// browser shows.
/// </summary>
internal static class GifCanvas
{
    /// <summary>Clears the pixels outside the first image, before any orientation; a first image that covers the canvas leaves it as it is.</summary>
    public static void ClearUncovered(Image<Rgba64> image, ReadOnlySpan<byte> data)
    {
        if (GifFrames.FirstImageBounds(data) is not var (left, top, width, height))
            return;
        var covered = Rectangle.Intersect(new Rectangle(left, top, width, height), new Rectangle(0, 0, image.Width, image.Height));
        if (covered == new Rectangle(0, 0, image.Width, image.Height))
            return;
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                if (y < covered.Top || y >= covered.Bottom || covered.Width == 0)
                {
                    row.Clear();
                    continue;
                }
                row[..covered.Left].Clear();
                row[covered.Right..].Clear();
            }
        });
    }
}
