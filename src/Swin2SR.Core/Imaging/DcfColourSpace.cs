using System.Buffers.Binary;
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
    private const ushort Uncalibrated = 0xFFFF;
    private const ushort AsciiType = 2, ShortType = 3, LongType = 4, IfdType = 13;
    private const int EntryLength = 12;

    /// <summary>Gives <paramref name="metadata"/> the Adobe RGB profile when it has no profile and the file's EXIF marks it Adobe RGB.</summary>
    public static void AdoptProfile(string formatName, byte[] file, ImageMetadata metadata)
    {
        if (metadata.IccProfile is null && MarksAdobeRgb(ExifOf(formatName, file)))
            metadata.IccProfile = new IccProfile(AdobeRgbProfile.Create());
    }

    /// <summary>A TIFF's own first directory points to its EXIF directory; the other formats carry a TIFF structure as their EXIF block.</summary>
    private static ReadOnlySpan<byte> ExifOf(string formatName, byte[] file) =>
        formatName == "TIFF" ? file : ExifBlock.Find(formatName, file) is { } block ? file.AsSpan()[block] : default;

    /// <summary>ColorSpace Uncalibrated in the EXIF directory, and "R03" in the interoperability directory it points to.</summary>
    internal static bool MarksAdobeRgb(ReadOnlySpan<byte> exif)
    {
        bool little = exif.StartsWith("II"u8);
        if (exif.Length < 8 || !(little || exif.StartsWith("MM"u8)) || Read16(exif[2..], little) != 42)
            return false;
        long exifDirectory = Pointer(exif, little, Read32(exif[4..], little), ExifDirectoryTag);
        int colourSpace = Entry(exif, little, exifDirectory, ColorSpaceTag);
        if (colourSpace < 0 || Read16(exif[(colourSpace + 2)..], little) != ShortType || Read16(exif[(colourSpace + 8)..], little) != Uncalibrated)
            return false;
        int index = Entry(exif, little, Pointer(exif, little, exifDirectory, InteropDirectoryTag), InteropIndexTag);
        // "R03" and its NUL fit in the entry's value field, where they sit.
        return index >= 0 && Read16(exif[(index + 2)..], little) == AsciiType && Read32(exif[(index + 4)..], little) is 3 or 4
            && exif.Slice(index + 8, 3).SequenceEqual("R03"u8);
    }

    /// <summary>Where the directory that <paramref name="tag"/> of the directory at <paramref name="directory"/> points to starts; -1 for none.</summary>
    private static long Pointer(ReadOnlySpan<byte> exif, bool little, long directory, ushort tag)
    {
        int entry = Entry(exif, little, directory, tag);
        return entry >= 0 && Read16(exif[(entry + 2)..], little) is LongType or IfdType && Read32(exif[(entry + 4)..], little) == 1
            ? Read32(exif[(entry + 8)..], little)
            : -1;
    }

    /// <summary>Where the entry for <paramref name="tag"/> of the directory at <paramref name="directory"/> starts; -1 when it has none or lies outside the block.</summary>
    private static int Entry(ReadOnlySpan<byte> exif, bool little, long directory, ushort tag)
    {
        if (directory < 8 || directory > exif.Length - 2)
            return -1;
        long end = Math.Min(directory + 2 + (long)Read16(exif[(int)directory..], little) * EntryLength, exif.Length - EntryLength + 1);
        for (long at = directory + 2; at < end; at += EntryLength)
        {
            if (Read16(exif[(int)at..], little) == tag)
                return (int)at;
        }
        return -1;
    }

    private static ushort Read16(ReadOnlySpan<byte> at, bool little) => little ? BinaryPrimitives.ReadUInt16LittleEndian(at) : BinaryPrimitives.ReadUInt16BigEndian(at);

    private static uint Read32(ReadOnlySpan<byte> at, bool little) => little ? BinaryPrimitives.ReadUInt32LittleEndian(at) : BinaryPrimitives.ReadUInt32BigEndian(at);
}
