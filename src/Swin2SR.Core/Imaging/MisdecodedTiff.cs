namespace Swin2SR.Core.Imaging;

/// <summary>
/// TIFF layouts that ImageSharp 2.1 decodes without an error into wrong pixels: nothing downstream could tell (the
/// quality gate compares the output with that same wrong decode), so they are refused before decoding, or, where
/// the error is known exactly, put right after it.
/// </summary>
internal static class MisdecodedTiff
{
    private const ushort BitsPerSampleTag = 258, CompressionTag = 259, PhotometricInterpretationTag = 262, PlanarConfigurationTag = 284, PredictorTag = 317,
        SampleFormatTag = 339;
    private const uint Planar = 2, NoPredictor = 1, BlackIsZero = 1, FloatingPoint = 3;

    /// <summary>CCITT modified Huffman (2), Group 3 (3) and Group 4 (4): the bilevel codings of fax and document scanners.</summary>
    private static bool IsFaxCompression(uint? compression) => compression is 2 or 3 or 4;

    /// <summary>Why the first page cannot be decoded right, or null.</summary>
    public static string? FindReason(ReadOnlySpan<byte> data) => FloatWidthReason(data) ?? PlanarPredictorReason(data);

    /// <summary>
    /// Floating-point samples of a width ImageSharp 2.1 does not decode as such: 16-bit (half) and 64-bit (double)
    /// samples come out a dim, speckled or saturated picture. GIMP and Krita export half-float TIFFs; 24- and 32-bit
    /// floats (Photoshop's 32-bit HDR) are read right.
    /// </summary>
    private static string? FloatWidthReason(ReadOnlySpan<byte> data)
    {
        if (TiffStructure.FirstPageValues(data, SampleFormatTag, out _) is not { } formats || !formats.Contains(FloatingPoint))
            return null;
        if (TiffStructure.FirstPageValues(data, BitsPerSampleTag, out _) is not [var bits, ..] || bits is 24 or 32)
            return null;
        return $"it is a TIFF of {bits}-bit floating-point samples, which this decoder (ImageSharp 2.1) reads into wrong pixels; "
            + "convert it to a 16-bit PNG (for example: magick in.tif -depth 16 out.png) or to 32-bit floating point, and upscale that";
    }

    /// <summary>
    /// A predictor stores each sample as its difference from the one to its left; ImageSharp 2.1 undoes that on every
    /// strip as if it held whole pixels, but a planar TIFF's strip holds one channel, so the sums run across the wrong
    /// samples (near-black garbage).
    /// </summary>
    private static string? PlanarPredictorReason(ReadOnlySpan<byte> data)
    {
        if (TiffStructure.FirstPageValue(data, PlanarConfigurationTag) != Planar)
            return null;
        uint predictor = TiffStructure.FirstPageValue(data, PredictorTag) ?? NoPredictor;
        if (predictor == NoPredictor)
            return null;
        string kind = predictor == 3 ? "3, floating point" : predictor == 2 ? "2, horizontal differencing" : predictor.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"it is a TIFF whose colour channels are stored in separate planes (PlanarConfiguration 2) with a predictor ({kind}), which this decoder (ImageSharp 2.1) reads into wrong pixels; "
            + "re-save it with contiguous (interleaved) pixel order, for example 'tiffcp -p contig in.tif out.tif' or ImageMagick's '-interlace none'";
    }

    /// <summary>
    /// Whether the first page is a fax-compressed page in BlackIsZero, which ImageSharp 2.1 decodes as its negative
    /// (black text on white comes out white on black): its CCITT decoders write the runs as if every page were
    /// WhiteIsZero, the fax convention, but the colour conversion then follows the PhotometricInterpretation.
    /// Document scanners, Pillow and libtiff's tools write such pages.
    /// </summary>
    public static bool DecodesAsNegative(ReadOnlySpan<byte> data) =>
        IsFaxCompression(TiffStructure.FirstPageValue(data, CompressionTag))
        && TiffStructure.FirstPageValue(data, PhotometricInterpretationTag) == BlackIsZero;
}
