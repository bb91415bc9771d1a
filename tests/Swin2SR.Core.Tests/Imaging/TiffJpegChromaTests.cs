using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>
/// A JPEG-compressed TIFF with subsampled chroma (Compression 7, YCbCr 4:2:0, as scanners write it) is read as libtiff
/// reads it, its chroma interpolated strip by strip, not repeated over blocks of pixels as ImageSharp 2.1 decodes it.
/// </summary>
public sealed class TiffJpegChromaTests
{
    /// <summary>
    /// The mean and largest difference, in 8-bit levels over every channel, of <paramref name="read"/> from libtiff's
    /// decode of the same file (Pillow's, through libtiff and libjpeg: Fixtures/README.md).
    /// </summary>
    private static (double Mean, double Max) FromLibtiff(Func<int, int, int, double> read)
    {
        using var libtiff = Image.Load<Rgba32>(RepoPaths.Fixture("libtiff-jpeg-420-decoded.png"));
        double sum = 0, max = 0;
        for (int y = 0; y < libtiff.Height; y++)
        {
            for (int x = 0; x < libtiff.Width; x++)
            {
                var p = libtiff[x, y];
                foreach (var (c, level) in new[] { (0, p.R), (1, p.G), (2, p.B) })
                {
                    double difference = Math.Abs(read(c, y, x) - level);
                    sum += difference;
                    max = Math.Max(max, difference);
                }
            }
        }
        return (sum / (3.0 * libtiff.Width * libtiff.Height), max);
    }

    [Fact]
    public void A_JPEG_compressed_TIFFs_subsampled_chroma_reads_as_libtiff_decodes_it_where_ImageSharps_blocks_do_not()
    {
        string path = RepoPaths.Fixture("libtiff-jpeg-420.tif");
        using var imageSharp = Image.Load<Rgba32>(path);
        var loaded = new ImageLoader(ImageLimits.Default).Load(path, 2);
        var blocks = FromLibtiff((c, y, x) => c switch { 0 => imageSharp[x, y].R, 1 => imageSharp[x, y].G, _ => imageSharp[x, y].B });
        var read = FromLibtiff((c, y, x) => loaded.Pixels[c, y, x] * 255.0);
        // Measured on this fixture: strip by strip as libtiff 0.46 and 3 levels (ImageSharp's IDCT rounds otherwise than
        // libjpeg's), across the strips' edges 0.63 and 7, ImageSharp's blocks 2.32 and 13. The bounds take the first
        // and refuse the other two.
        Assert.True(read.Mean < 0.6 && read.Max <= 4, $"read {read.Mean:0.00} levels from libtiff's decode on average, {read.Max:0} at most (ImageSharp's blocks: {blocks.Mean:0.00}, {blocks.Max:0})");
        Assert.True(blocks.Mean > 1, $"ImageSharp's blocks are {blocks.Mean:0.00} levels from libtiff's decode on average: the fixture no longer tells them apart");
    }
}
