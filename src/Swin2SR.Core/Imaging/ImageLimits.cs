namespace Swin2SR.Core.Imaging;

/// <summary>
/// Size limits checked from the file header before any pixel is decoded, so a small file that claims a
/// huge size (a decompression bomb) is refused before it can allocate.
/// </summary>
public sealed record ImageLimits(double MaxInputMegapixels, double MaxOutputMegapixels)
{
    public const double DefaultMaxInputMegapixels = 100;
    public const double DefaultMaxOutputMegapixels = 400;

    /// <summary>100 MP in (a 12k x 8k scan), 400 MP out: generous for photos, far below what exhausts a host.</summary>
    public static ImageLimits Default { get; } = new(DefaultMaxInputMegapixels, DefaultMaxOutputMegapixels);

    /// <summary>The memory one image must fit in (<see cref="ImageMemory"/>); tests set less than the machine has.</summary>
    public long MemoryBytes { get; init; } = ImageMemory.ProcessMemoryBytes();

    /// <summary>
    /// What the model's CPU workers hold for their tiles while an image is in flight (<see cref="Pipeline.CpuBatchMemory.HeldByWorkers"/>):
    /// of <see cref="MemoryBytes"/>, not the image's to take. 0 where nothing runs beside the image (a quality measurement).
    /// </summary>
    public long ModelBytes { get; init; }

    /// <summary>
    /// The largest file an image within the pixel limit can need: 16 bytes a pixel (uncompressed 32-bit float
    /// RGBA TIFF, the widest layout we read) plus 64 MiB of metadata. A bigger file is refused before it is read.
    /// </summary>
    public long MaxInputBytes => (long)Math.Min(Array.MaxLength, MaxInputMegapixels * 1e6 * 16 + (64 << 20));
}
