using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// A JPEG-compressed TIFF (Compression 7, "new-style" JPEG, as scanners and archives write it) holds a JPEG in each
/// strip; ImageSharp 2.1 decodes each with its JPEG decoder, which repeats subsampled chroma over blocks of pixels, where
/// libtiff (through libjpeg) interpolates it: against the original picture ImageSharp's decode is about 0.8 dB PSNR
/// further off (q90, 4:2:0). The strips' chroma is interpolated here as libjpeg does, each strip alone, as libtiff
/// decodes them (<see cref="JpegChromaSmoothing"/>); interpolated across the strips' edges instead, the pixels at
/// those edges would differ from libtiff's by up to 7 levels where they now differ by 3.
/// </summary>
internal static class TiffJpegChroma
{
    private const ushort CompressionTag = 259, PhotometricTag = 262, StripOffsetsTag = 273, StripByteCountsTag = 279, PlanarConfigurationTag = 284,
        TileWidthTag = 322;
    private const long NewStyleJpeg = 7, YCbCr = 6, Planar = 2;

    /// <summary>Interpolates the chroma of <paramref name="image"/>, decoded by ImageSharp from the TIFF <paramref name="data"/>; false where there is none to.</summary>
    public static bool Smooth(Image<Rgba64> image, ReadOnlySpan<byte> data)
    {
        if (TiffStructure.FirstPageInteger(data, CompressionTag) != NewStyleJpeg || TiffStructure.FirstPageInteger(data, PhotometricTag) != YCbCr
            || TiffStructure.FirstPageInteger(data, PlanarConfigurationTag) == Planar || TiffStructure.FirstPageHas(data, TileWidthTag))
            return false;
        if (FirstStrip(data) is not { } strip || JpegStructure.ReadFrame(data[strip]) is not { } frame || frame.Width != image.Width)
            return false;
        // Every strip but the last holds as many rows as the first; a band of whole chroma samples, so the blocks of
        // each strip start where the image's rows of blocks do.
        if (JpegChromaSmoothing.Subsampling(frame) is not var (across, down) || frame.Height % down != 0 && frame.Height < image.Height)
            return false;
        return JpegChromaSmoothing.Smooth(image, across, down, Math.Min(frame.Height, image.Height));
    }

    /// <summary>Where the first strip's JPEG lies; null where the strip tags do not say or point past the data.</summary>
    private static Range? FirstStrip(ReadOnlySpan<byte> data)
    {
        if (TiffStructure.FirstPageValues(data, StripOffsetsTag, out _) is not [var offset, ..]
            || TiffStructure.FirstPageValues(data, StripByteCountsTag, out _) is not [var count, ..])
            return null;
        if (offset > (ulong)data.Length || count > (ulong)data.Length - offset)
            return null;
        return new Range((int)offset, (int)(offset + count));
    }
}
