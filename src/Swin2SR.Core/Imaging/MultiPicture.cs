using System.Buffers.Binary;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// An MPO (CIPA DC-007), as 3D cameras and the Nintendo 3DS write them: a JPEG whose APP2 "MPF" index lists more
/// images stored after it, a stereo pair's other view or a panorama's or multi-angle set's other frames. The decoder
/// reads the first image; the others are left out, and the user is told. Many a plain camera JPEG indexes a large
/// preview the same way, and an Ultra HDR one its gain map: those are not pictures anyone would miss, so they go unsaid.
/// </summary>
internal static class MultiPicture
{
    private const ushort EntriesTag = 0xB002;
    private const int EntryBytes = 16;

    /// <summary>The images a multi-frame MPO holds, the first included; 0 for any other JPEG.</summary>
    public static int Frames(ReadOnlySpan<byte> jpeg)
    {
        if (JpegStructure.FindMultiPictureIndex(jpeg) is not { } index)
            return 0;
        var mp = jpeg[index];
        if (TiffStructure.FirstPageBytes(mp, EntriesTag) is not { } entries)
            return 0;
        var list = mp[entries];
        bool littleEndian = mp[0] == (byte)'I';
        int count = list.Length / EntryBytes;
        for (int i = 1; i < count; i++)
        {
            // Each entry opens with the image's attribute, whose low 24 bits give its type: 0x02000n a multi-frame image.
            var attribute = list.Slice(i * EntryBytes, 4);
            uint type = (littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(attribute) : BinaryPrimitives.ReadUInt32BigEndian(attribute)) & 0xFFFFFF;
            if (type is >= MultiFramePanorama and <= MultiFrameMultiAngle)
                return count;
        }
        return 0;
    }

    private const uint MultiFramePanorama = 0x020001, MultiFrameMultiAngle = 0x020003;
}
