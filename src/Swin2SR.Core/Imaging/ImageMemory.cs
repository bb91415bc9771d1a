namespace Swin2SR.Core.Imaging;

/// <summary>
/// Whether one image can be upscaled in the memory this process has, told from its header. An image that cannot is
/// better refused than tried: the kernel's out-of-memory killer would end the whole run, every image in flight with
/// it, and the next scheduled run would take the same image first and die again.
/// </summary>
internal static class ImageMemory
{
    /// <summary>
    /// The peak an image adds while it is decoded, upscaled and written, per pixel: on the input side its 16-bit
    /// decode and float planes, on the output side the float canvas, the encoder's copy and its buffers. Measured alone
    /// at 16-18 bytes per output pixel for 96-megapixel PNG and JPEG outputs of noise (peak RSS over a run of an 8x8
    /// image), and 26 for a 384-megapixel JPEG beside another image; counted as 24.
    /// </summary>
    private const long InputBytesPerPixel = 20, OutputBytesPerPixel = 24;

    /// <summary>The share of the process's memory one image and the model's tiles may need: the runtime, the weights and the system need the rest.</summary>
    private const double UsableShare = 0.9;

    /// <summary>Colour planes are float arrays of three values a pixel, and a .NET array holds at most <see cref="Array.MaxLength"/>.</summary>
    private static readonly long MaxPlanarPixels = Array.MaxLength / 3;

    /// <summary>The memory this process may use: the machine's, or its container's limit (what the garbage collector sees).</summary>
    public static long ProcessMemoryBytes() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>What one image and the model's tiles may use of <paramref name="processMemoryBytes"/>.</summary>
    public static long UsableBytes(long processMemoryBytes) => (long)(processMemoryBytes * UsableShare);

    /// <summary>Why an image of <paramref name="width"/> x <paramref name="height"/> cannot be upscaled x<paramref name="scale"/> here, or null when it can.</summary>
    /// <param name="modelBytes">
    /// What the model's CPU workers hold beside the image (their tiles' activations). Without it, on an 8 GiB
    /// machine an image counted at 7 GB was let in beside two workers whose 256 tiles hold at least 1.7 GB more.
    /// </param>
    /// <param name="laidOutBytes">
    /// What decoding holds beside the pixels: a tiled TIFF is laid out in strips, a copy of the file with its page
    /// uncompressed (<see cref="TiledTiff.LaidOutBytes"/>), and a gray TIFF with alpha split in two (<see cref="GrayAlphaTiff.LaidOutBytes"/>).
    /// </param>
    public static string? WhyNot(int width, int height, int scale, long processMemoryBytes, long modelBytes = 0, long laidOutBytes = 0)
    {
        long inputPixels = (long)width * height, outputPixels = inputPixels * scale * scale;
        long largest = Math.Max(inputPixels, outputPixels);
        if (largest > MaxPlanarPixels)
            return $"{(outputPixels >= inputPixels ? $"the x{scale} output" : "the image")} would be {largest / 1e6:0.#} megapixels, "
                + $"more than one image can hold in memory ({MaxPlanarPixels / 1e6:0.#} megapixels: a colour plane is one .NET array)";
        long needed = inputPixels * InputBytesPerPixel + outputPixels * OutputBytesPerPixel + laidOutBytes;
        long usable = Math.Max(0, UsableBytes(processMemoryBytes) - modelBytes);
        if (needed > usable)
            return (scale > 1 ? $"upscaling it x{scale} to {outputPixels / 1e6:0.#} megapixels" : $"reading its {inputPixels / 1e6:0.#} megapixels")
                + $" needs about {Gigabytes(needed)} of memory, more than the {Gigabytes(usable)} this process can give one image"
                + $" ({UsableShare * 100:0}% of {Gigabytes(processMemoryBytes)}"
                + (modelBytes > 0 ? $", less {Gigabytes(modelBytes)} that the model's CPU workers hold for their tiles" : "")
                + "): run it on a machine with more memory"
                + (scale > 1 ? ", or with a smaller -Scale" : "")
                // Only where it could fit: no tile size makes a 12-megapixel photo x4 fit in a 4 GiB container.
                + (modelBytes > 0 && needed <= UsableBytes(processMemoryBytes) ? " (a smaller -TileSize leaves it more)" : "");
        return null;
    }

    private static string Gigabytes(long bytes) => bytes < 1L << 30 ? $"{bytes / (double)(1 << 20):0} MB" : $"{bytes / (double)(1L << 30):0.#} GB";
}
