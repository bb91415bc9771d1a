using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Metadata.Profiles.Icc;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// A camera set to Adobe RGB (Canon, Nikon, Sony, Fujifilm) embeds no ICC profile: by the DCF rule it writes EXIF
/// ColorSpace 0xFFFF (Uncalibrated) and, in the interoperability directory, InteroperabilityIndex "R03" ("R98" is
/// sRGB), and Photoshop, Lightroom, Capture One and exiftool read the file as Adobe RGB (1998). ImageSharp 2.1 writes
/// no interoperability directory, so an output kept "Uncalibrated" alone, which readers take as sRGB: a washed-out
/// copy. Such an input is given an Adobe RGB (1998) profile (<see cref="AdobeRgbProfile"/>) rather than its marks
/// carried: every colour-managed reader honours a profile, where only DCF-aware ones read the marks, and a profile
/// travels into every output format (a TIFF output has no EXIF directory at all); a profile with ColorSpace
/// Uncalibrated is also how Photoshop saves Adobe RGB.
/// </summary>
internal static class DcfColourSpace
{
    private const ushort ExifDirectoryTag = 0x8769, ColorSpaceTag = 0xA001, InteropDirectoryTag = 0xA005, InteropIndexTag = 0x0001;
    private const ushort NonStandardAdobeRgb = 2, Uncalibrated = 0xFFFF;

    /// <summary>Gives <paramref name="metadata"/> the Adobe RGB profile when it has no profile and the file's EXIF marks it Adobe RGB.</summary>
    public static void AdoptProfile(string formatName, byte[] file, ImageMetadata metadata)
    {
        if (metadata.IccProfile is null && MarksAdobeRgb(ExifOf(formatName, file)))
            metadata.IccProfile = new IccProfile(AdobeRgbProfile.Create());
    }

    /// <summary>A TIFF's own first directory points to its EXIF directory; the other formats carry a TIFF structure as their EXIF block.</summary>
    private static ReadOnlySpan<byte> ExifOf(string formatName, byte[] file) =>
        formatName == "TIFF" ? file : ExifBlock.Find(formatName, file) is { } block ? file.AsSpan()[block] : default;

    /// <summary>
    /// ColorSpace Uncalibrated in the EXIF directory, and "R03" in the interoperability directory it points to; or
    /// ColorSpace 2, which is not in the EXIF standard but which some cameras and editors write for Adobe RGB, and
    /// which exiftool names "Adobe RGB" and darktable reads as such, whatever the index.
    /// </summary>
    internal static bool MarksAdobeRgb(ReadOnlySpan<byte> exif) => TiffStructure.PointedInteger(exif, [ExifDirectoryTag], ColorSpaceTag) switch
    {
        NonStandardAdobeRgb => true,
        Uncalibrated => TiffStructure.PointedBytes(exif, [ExifDirectoryTag, InteropDirectoryTag], InteropIndexTag) is { } index && exif[index].StartsWith("R03"u8),
        _ => false,
    };
}
