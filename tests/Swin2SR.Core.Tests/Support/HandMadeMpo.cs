using System.Buffers.Binary;

namespace Swin2SR.Core.Tests.Support;

/// <summary>
/// MPO files (CIPA DC-007) as 3D cameras write them: the first JPEG carries, in an APP2 segment after its SOI, an
/// "MPF" index (big-endian, as Fujifilm writes it) of itself and the JPEG stored after it.
/// </summary>
internal static class HandMadeMpo
{
    public const uint Primary = 0x030000, LargeThumbnail = 0x010001, Disparity = 0x020002;

    /// <summary><paramref name="first"/> indexed as <paramref name="firstType"/>, then <paramref name="second"/> as <paramref name="secondType"/>.</summary>
    public static byte[] Build(byte[] first, uint firstType, byte[] second, uint secondType)
    {
        // The index: a TIFF header, one directory of three entries (MPFVersion, NumberOfImages, MPEntry), then the two 16-byte entries.
        const int directoryAt = 8, entriesAt = directoryAt + 2 + 3 * 12 + 4, indexLength = entriesAt + 2 * 16;
        var index = new byte[indexLength];
        "MM\0*"u8.CopyTo(index);
        BinaryPrimitives.WriteUInt32BigEndian(index.AsSpan(4), directoryAt);
        BinaryPrimitives.WriteUInt16BigEndian(index.AsSpan(directoryAt), 3);
        Entry(index, 0, 0xB000, 7, 4, BinaryPrimitives.ReadUInt32BigEndian("0100"u8));
        Entry(index, 1, 0xB001, 4, 1, 2);
        Entry(index, 2, 0xB002, 7, 32, entriesAt);
        int segmentLength = 2 + 4 + indexLength;
        int firstLength = first.Length + 2 + segmentLength;
        // Offsets are counted from the index's TIFF header, which starts after SOI, the marker, its length and "MPF\0".
        const int headerAt = 2 + 4 + 4;
        uint[] entries = [firstType, (uint)firstLength, 0, 0, secondType, (uint)second.Length, (uint)(firstLength - headerAt), 0];
        for (int i = 0; i < 2; i++)
        {
            var entry = index.AsSpan(entriesAt + 16 * i);
            BinaryPrimitives.WriteUInt32BigEndian(entry, entries[4 * i]);
            BinaryPrimitives.WriteUInt32BigEndian(entry[4..], entries[4 * i + 1]);
            BinaryPrimitives.WriteUInt32BigEndian(entry[8..], entries[4 * i + 2]);
        }
        return [.. first[..2], 0xFF, 0xE2, (byte)(segmentLength >> 8), (byte)segmentLength, .. "MPF\0"u8, .. index, .. first[2..], .. second];
    }

    private static void Entry(byte[] index, int i, ushort tag, ushort type, uint count, uint value)
    {
        var entry = index.AsSpan(8 + 2 + 12 * i);
        BinaryPrimitives.WriteUInt16BigEndian(entry, tag);
        BinaryPrimitives.WriteUInt16BigEndian(entry[2..], type);
        BinaryPrimitives.WriteUInt32BigEndian(entry[4..], count);
        BinaryPrimitives.WriteUInt32BigEndian(entry[8..], value);
    }
}
