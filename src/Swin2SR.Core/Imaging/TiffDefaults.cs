namespace Swin2SR.Core.Imaging;

/// <summary>
/// Tags that a TIFF may leave out, the specification giving their value, but that ImageSharp 2.1 cannot do without:
/// BitsPerSample, 1 by default. Pillow leaves it out of an uncompressed bilevel page, and ImageSharp then fails on
/// the sound file with "Nullable object must have a value", which read as a damaged header.
/// </summary>
internal static class TiffDefaults
{
    private const ushort BitsPerSampleTag = 258;
    private const ushort DefaultBitsPerSample = 1;

    /// <summary>The data to give the decoder: a copy with the defaults written out where the first page leaves them out, else the data itself.</summary>
    public static byte[] Completed(byte[] data) =>
        !TiffStructure.FirstPageHas(data, BitsPerSampleTag)
            ? TiffStructure.WithFirstPageShort(data, BitsPerSampleTag, DefaultBitsPerSample) ?? data
            : data;
}
