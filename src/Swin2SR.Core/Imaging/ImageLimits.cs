namespace Swin2SR.Core.Imaging;

/// <summary>
/// Size limits checked from the file header before any pixel is decoded, so a small file that claims a
/// huge size (a decompression bomb) is refused before it can allocate.
/// </summary>
public sealed record ImageLimits(double MaxInputMegapixels, double MaxOutputMegapixels)
{
    /// <summary>100 MP in (a 12k x 8k scan), 400 MP out: generous for photos, far below what exhausts a host.</summary>
    public static ImageLimits Default { get; } = new(100, 400);
}
