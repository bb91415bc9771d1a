using System.Buffers.Binary;

namespace Swin2SR.Core.Tests.Support;

/// <summary>
/// EXIF blocks as cameras write them and ImageSharp 2.1 cannot: a main directory (IFD0) followed by a thumbnail's
/// (IFD1), each with its own resolution (rationals, stored outside their entries), little-endian.
/// </summary>
internal static class HandMadeExif
{
    private const ushort Compression = 259, XResolution = 282, YResolution = 283, ResolutionUnit = 296;
    private const ushort ShortType = 3, RationalType = 5;
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
