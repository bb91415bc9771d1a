using Swin2SR.Core.Imaging;

namespace Swin2SR.Core.Quality;

/// <summary>
/// How well an output agrees with its input (<see cref="QualityMetrics.ConsistencyPsnr"/>): both are averaged over
/// blocks of <see cref="Block"/> x <see cref="Block"/> input pixels, and compared region by region, about
/// <see cref="Region"/> input pixels square; the worst region's PSNR counts. The contrast of the two block images
/// is compared too, smoothed (<see cref="ToneContrast"/>), and their colour (<see cref="ChromaConsistency"/>).
/// </summary>
/// <remarks>
/// Blocks, not pixels: a model may rightly drop what is finer than a block (it denoises, removes JPEG blocks,
/// smooths film grain; no model reproduces pure noise), but the picture at that scale must stay. Pixel by pixel, a
/// perfect cleanup of a photo with noise of sigma 50 scored 14.5 dB and the embedded model's upscale of a noise
/// texture 16.6, refused by any useful threshold; in blocks, region by region, 22.0 and 34.9. Regions, not the
/// whole image: one broken tile is a small part of a large image, and over the whole of it scored up to 27.1 dB
/// (black 20.4); in its region 16.9 at most (black 12.5). docs/quality-gate.md has the measurements.
/// </remarks>
public static class BlockConsistency
{
    public const int Block = 4;

    public const int Region = 64;

    /// <returns>
    /// The worst region's PSNR, the ratio of the output's tone contrast to the input's (NaN for an input too flat to
    /// tell), and the least chroma retention (NaN for an input too grey to tell).
    /// </returns>
    public static (double Psnr, double ContrastRatio, double ChromaRetention) Measure(PlanarImage input, PlanarImage output, int scale)
    {
        // A side shorter than a block is averaged whole.
        int blockX = Math.Min(Block, input.Width), blockY = Math.Min(Block, input.Height);
        var coarseInput = AreaDownscale.Shrink(input, blockX, blockY);
        var coarseOutput = AreaDownscale.Shrink(output, blockX * scale, blockY * scale);
        var regions = Regions(coarseInput.Width, coarseInput.Height).ToList();
        double worst = double.PositiveInfinity;
        foreach (var (x, y, width, height) in regions)
            worst = Math.Min(worst, Psnr.ComputeRgb(coarseInput, coarseOutput, x, y, width, height));
        return (worst, ToneContrast.Ratio(coarseInput, coarseOutput), ChromaConsistency.Retention(coarseInput, coarseOutput, regions));
    }

    /// <summary>The regions of a <paramref name="width"/> x <paramref name="height"/> image of block means.</summary>
    private static IEnumerable<(int X, int Y, int Width, int Height)> Regions(int width, int height) =>
        from row in Spans(height)
        from column in Spans(width)
        select (column.Start, row.Start, column.Length, row.Length);

    /// <summary>
    /// Splits a side of <paramref name="length"/> blocks into equal spans of one to two regions: a narrow strip at
    /// the edge would hold too few blocks for a steady figure.
    /// </summary>
    private static IEnumerable<(int Start, int Length)> Spans(int length)
    {
        int count = Math.Max(1, length / (Region / Block));
        for (int i = 0; i < count; i++)
        {
            int start = i * length / count;
            yield return (start, (i + 1) * length / count - start);
        }
    }
}
