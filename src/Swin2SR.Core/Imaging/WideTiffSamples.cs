namespace Swin2SR.Core.Imaging;

/// <summary>
/// A TIFF of samples wider than 16 bits (32-bit floating point, Photoshop's HDR; 24- or 32-bit integers, from
/// scientific cameras) is decoded at 16 bits a sample, and no output holds more: what that loses is said, as the
/// rounding of 16 bits to 8 is, instead of the output coming out a 16-bit TIFF or PNG unsaid.
/// </summary>
internal static class WideTiffSamples
{
    private const ushort BitsPerSampleTag = 258, SampleFormatTag = 339;
    private const ulong FloatingPoint = 3;

    /// <summary>The warning for such a first page, or null.</summary>
    public static string? Find(ReadOnlySpan<byte> data)
    {
        if (TiffStructure.FirstPageValues(data, BitsPerSampleTag, out _) is not [var bits, ..] || bits <= 16)
            return null;
        return TiffStructure.FirstPageValues(data, SampleFormatTag, out _) is [FloatingPoint, ..]
            ? $"it is a TIFF of {bits}-bit floating-point samples: they are read at 16 bits a sample, as no output holds more, values below 0 and above 1 (HDR highlights) clipped; "
                + "to keep them, tone-map or scale the image into 0 to 1 first"
            : $"it is a TIFF of {bits}-bit samples: they are read at 16 bits a sample, as no output holds more, levels finer than 1/65535 rounded";
    }
}
