namespace Swin2SR.Core.Imaging;

/// <summary>
/// An RGB TIFF of four samples a pixel whose ExtraSamples tag, which says what the fourth is, is missing (TIFF 6.0
/// requires it). ImageSharp 2.1 reads the fourth as unassociated alpha; so does GIMP, which warns that the file does
/// not conform; libtiff's RGBA interface, as built by default (DEFAULT_EXTRASAMPLE_AS_ALPHA), takes it as alpha too.
/// It is kept as alpha, as every reader shows it, and said: a fourth sample that is no transparency (padding, a
/// mask) would otherwise come out as transparency unsaid, stated as unassociated alpha in an output TIFF.
/// </summary>
internal static class UntaggedTiffAlpha
{
    private const ushort PhotometricInterpretationTag = 262, SamplesPerPixelTag = 277, ExtraSamplesTag = 338;
    private const long Rgb = 2;

    public const string Warning = "it is a TIFF of 4 samples a pixel without an ExtraSamples tag to say what the 4th is: it is taken as " +
        "transparency (unassociated alpha), as GIMP and libtiff take it; if it is not, save the image as RGB first";

    /// <summary>The warning for such a first page, or null.</summary>
    public static string? Find(ReadOnlySpan<byte> data) =>
        TiffStructure.FirstPageInteger(data, PhotometricInterpretationTag) == Rgb
        && TiffStructure.FirstPageInteger(data, SamplesPerPixelTag) == 4
        && !TiffStructure.FirstPageHas(data, ExtraSamplesTag)
            ? Warning
            : null;
}
