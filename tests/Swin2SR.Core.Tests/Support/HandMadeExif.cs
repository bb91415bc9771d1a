using System.Buffers.Binary;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;

namespace Swin2SR.Core.Tests.Support;

/// <summary>
/// EXIF blocks as cameras and other writers make them and ImageSharp 2.1 cannot: a main directory (IFD0) followed by
/// a thumbnail's (IFD1), each with its own resolution (rationals, stored outside their entries), little-endian; an
/// Orientation stored as another integer type than SHORT, in either byte order. And files that carry such a block.
/// </summary>
internal static class HandMadeExif
{
    private const ushort Compression = 259, XResolution = 282, YResolution = 283, ResolutionUnit = 296;
    private const ushort RationalType = 5;
    private const int Ifd0At = 8, EntryLength = 12, Ifd1At = Ifd0At + 2 + 3 * EntryLength + 4, ValuesAt = Ifd1At + 2 + 3 * EntryLength + 4;

    /// <summary>IFD0 says <paramref name="mainDpi"/> pixels per inch; IFD1, a JPEG thumbnail's, says <paramref name="thumbnailDpi"/>.</summary>
    public static byte[] WithThumbnailDirectory(uint mainDpi, uint thumbnailDpi)
    {
        var exif = new byte[ValuesAt + 4 * 8];
        "II*\0"u8.CopyTo(exif);
        BinaryPrimitives.WriteUInt32LittleEndian(exif.AsSpan(4), Ifd0At);
        WriteDirectory(exif, Ifd0At, next: Ifd1At, (XResolution, RationalType, ValuesAt), (YResolution, RationalType, ValuesAt + 8), (ResolutionUnit, ShortType, 2));
        WriteDirectory(exif, Ifd1At, next: 0, (Compression, ShortType, 6), (XResolution, RationalType, ValuesAt + 16), (YResolution, RationalType, ValuesAt + 24));
        uint[] rationals = [mainDpi, 1, mainDpi, 1, thumbnailDpi, 1, thumbnailDpi, 1];
        for (int i = 0; i < rationals.Length; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(exif.AsSpan(ValuesAt + 4 * i), rationals[i]);
        return exif;
    }

    private const ushort ExifPointerTag = 34665, ColorSpaceTag = 40961, InteropPointerTag = 40965, InteropIndexTag = 1, AsciiType = 2;

    /// <summary>
    /// A block as a DCF camera writes it: IFD0 pointing to <see cref="DcfDirectories"/> of <paramref name="colourSpace"/>
    /// and <paramref name="index"/>.
    /// </summary>
    public static byte[] WithDcfColourSpace(ushort colourSpace, string index)
    {
        const int exifAt = Ifd0At + 2 + EntryLength + 4;
        var block = new byte[exifAt];
        "II*\0"u8.CopyTo(block);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(4), Ifd0At);
        WriteDirectory(block, Ifd0At, next: 0, (ExifPointerTag, LongType, exifAt));
        return [.. block, .. DcfDirectories(exifAt, colourSpace, index)];
    }

    /// <summary>
    /// An EXIF directory whose ColorSpace is <paramref name="colourSpace"/> (1 sRGB, 0xFFFF Uncalibrated) and whose
    /// interoperability directory's InteroperabilityIndex is <paramref name="index"/> (three letters: "R03" for Adobe
    /// RGB, "R98" for sRGB), little-endian, for offset <paramref name="at"/> of the structure they are put in.
    /// </summary>
    public static byte[] DcfDirectories(int at, ushort colourSpace, string index)
    {
        const int interopAt = 2 + 2 * EntryLength + 4;
        var directories = new byte[interopAt + 2 + EntryLength + 4];
        WriteDirectory(directories, 0, next: 0, (ColorSpaceTag, ShortType, colourSpace), (InteropPointerTag, LongType, at + interopAt));
        byte[] text = [.. System.Text.Encoding.ASCII.GetBytes(index), 0];
        WriteDirectory(directories, interopAt, next: 0, (InteropIndexTag, AsciiType, BinaryPrimitives.ReadInt32LittleEndian(text)));
        // The text's four bytes, NUL included, are its count.
        BinaryPrimitives.WriteUInt32LittleEndian(directories.AsSpan(interopAt + 2 + 4), (uint)text.Length);
        return directories;
    }

    /// <summary>The integer types one value of a TIFF field can be stored as (TIFF 6.0 section 2).</summary>
    public const ushort ByteType = 1, ShortType = 3, LongType = 4, SByteType = 6, SShortType = 8, SLongType = 9;

    /// <summary>
    /// A block whose IFD0 holds one entry, Orientation (274) = <paramref name="orientation"/>, stored as
    /// <paramref name="type"/> (EXIF says SHORT) in the byte order given.
    /// </summary>
    public static byte[] WithOrientation(int orientation, ushort type, bool bigEndian)
    {
        var exif = new byte[8 + 2 + EntryLength + 4];
        (bigEndian ? "MM"u8 : "II"u8).CopyTo(exif);
        Write16(exif, 2, 42, bigEndian);
        Write32(exif, 4, Ifd0At, bigEndian);
        Write16(exif, Ifd0At, 1, bigEndian);
        var entry = exif.AsSpan(Ifd0At + 2, EntryLength);
        Write16(entry, 0, 274, bigEndian);
        Write16(entry, 2, type, bigEndian);
        Write32(entry, 4, 1, bigEndian);
        // The value sits at the start of the four-byte field, in its own width.
        switch (type)
        {
            case ByteType or SByteType:
                entry[8] = (byte)orientation;
                break;
            case ShortType or SShortType:
                Write16(entry, 8, (ushort)orientation, bigEndian);
                break;
            default:
                Write32(entry, 8, (uint)orientation, bigEndian);
                break;
        }
        return exif;
    }

    private static void Write16(Span<byte> at, int offset, ushort value, bool bigEndian)
    {
        if (bigEndian)
            BinaryPrimitives.WriteUInt16BigEndian(at[offset..], value);
        else
            BinaryPrimitives.WriteUInt16LittleEndian(at[offset..], value);
    }

    private static void Write32(Span<byte> at, int offset, uint value, bool bigEndian)
    {
        if (bigEndian)
            BinaryPrimitives.WriteUInt32BigEndian(at[offset..], value);
        else
            BinaryPrimitives.WriteUInt32LittleEndian(at[offset..], value);
    }

    /// <summary>
    /// <paramref name="image"/> as <paramref name="format"/> (JPEG, PNG or Webp) carrying <paramref name="exif"/> where
    /// that format keeps EXIF: a JPEG's APP1 segment (after "Exif\0\0"), a PNG's eXIf chunk, a lossless WebP's EXIF chunk.
    /// </summary>
    public static byte[] InFile(string format, Image image, byte[] exif)
    {
        switch (format)
        {
            case "JPEG":
                var jpeg = FixtureImages.Encode(image, new JpegEncoder());
                int length = 2 + 6 + exif.Length;
                return [.. jpeg[..2], 0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. "Exif\0\0"u8, .. exif, .. jpeg[2..]];
            case "PNG":
                return FixtureImages.WithChunk(FixtureImages.Encode(image, new PngEncoder()), "eXIf", exif);
            default:
                // The encoder writes an EXIF chunk for a profile of its own; its payload is replaced, and the sizes with it.
                var own = image.Metadata.ExifProfile;
                image.Metadata.ExifProfile = new ExifProfile();
                image.Metadata.ExifProfile.SetValue(ExifTag.Artist, "placeholder");
                var webp = FixtureImages.Encode(image, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });
                image.Metadata.ExifProfile = own;
                int at = webp.AsSpan().IndexOf("EXIF"u8);
                int old = (int)BinaryPrimitives.ReadUInt32LittleEndian(webp.AsSpan(at + 4));
                var size = new byte[4];
                BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)exif.Length);
                byte[] replaced = [.. webp[..(at + 4)], .. size, .. exif, .. webp[(at + 8 + old + (old & 1))..]];
                BinaryPrimitives.WriteUInt32LittleEndian(replaced.AsSpan(4), (uint)(replaced.Length - 8));
                return replaced;
        }
    }

    /// <summary>Entries of one value each: a SHORT in the entry, a RATIONAL at the offset given.</summary>
    private static void WriteDirectory(byte[] exif, int at, int next, params (ushort Tag, ushort Type, int Value)[] entries)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(exif.AsSpan(at), (ushort)entries.Length);
        for (int i = 0; i < entries.Length; i++)
        {
            var entry = exif.AsSpan(at + 2 + i * EntryLength, EntryLength);
            BinaryPrimitives.WriteUInt16LittleEndian(entry, entries[i].Tag);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[2..], entries[i].Type);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], 1);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], (uint)entries[i].Value);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(exif.AsSpan(at + 2 + entries.Length * EntryLength), (uint)next);
    }
}
