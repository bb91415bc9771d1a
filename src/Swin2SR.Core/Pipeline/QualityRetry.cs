using Swin2SR.Core.Inference;

namespace Swin2SR.Core.Pipeline;

/// <summary>How an image is run again before an output that failed the quality gate counts as failed.</summary>
public readonly record struct QualityRedo(int Overlap, Precision Precision, string Change);

/// <summary>
/// The retry policy of the quality gate: first fp16 -> fp32 (half precision overflowing into NaN or washed-out
/// values is the likeliest cause when it was used), unless the model computes in half only; then, for an image of
/// several tiles, twice the tile overlap (a seam gone wrong). Each step is tried once; then the image fails with
/// QualityCheckFailed.
/// </summary>
public static class QualityRetry
{
    /// <param name="tile">The tile side across its seams (<see cref="Tiling.TilePlan.SeamedSide"/>): the overlap stays within half of it.</param>
    /// <param name="window">The model's window: the smallest overlap worth widening to.</param>
    /// <param name="halfOnly">The model has no float32 version (<see cref="ModelContract.ComputesInHalf"/>): its
    /// redos stay in fp16.</param>
    public static QualityRedo? Next(Precision precision, int tile, int overlap, int tiles, bool overlapWidened, int window, bool halfOnly = false)
    {
        if (precision == Precision.Fp16 && !halfOnly)
            return new QualityRedo(overlap, Precision.Fp32, "redone in fp32");
        int wider = Math.Min(Math.Max(2 * overlap, window), tile / 2);
        if (tiles > 1 && !overlapWidened && wider > overlap)
            return new QualityRedo(wider, precision, $"redone with a tile overlap of {wider} (was {overlap})");
        return null;
    }
}
