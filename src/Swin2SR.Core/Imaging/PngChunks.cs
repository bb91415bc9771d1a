using System.Buffers.Binary;

namespace Swin2SR.Core.Imaging;

/// <summary>Finds the chunks of a PNG file that come before its image data, where ancillary metadata lives.</summary>
internal static class PngChunks
{
    private static readonly byte[] s_signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// Where the data of the first chunk of <paramref name="type"/> lies, if one comes before the first IDAT;
    /// null when there is none, the file is not a PNG, or a chunk length runs past the end.
    /// </summary>
    public static Range? FindBeforeImageData(ReadOnlySpan<byte> png, ReadOnlySpan<byte> type)
    {
        if (png.Length < s_signature.Length || !png[..s_signature.Length].SequenceEqual(s_signature))
            return null;
        int p = s_signature.Length;
        // Each chunk: 4 bytes of length, 4 of type, the data, 4 of CRC.
        while (p + 12 <= png.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(png.Slice(p, 4));
            var chunkType = png.Slice(p + 4, 4);
            if (length > png.Length - p - 12 || chunkType.SequenceEqual("IDAT"u8))
                return null;
            if (chunkType.SequenceEqual(type))
                return new Range(p + 8, p + 8 + (int)length);
            p += 12 + (int)length;
        }
        return null;
    }

    /// <summary>An animated PNG (APNG) announces itself with an acTL chunk before its image data.</summary>
    public static bool IsAnimated(ReadOnlySpan<byte> png) => FindBeforeImageData(png, "acTL"u8) is not null;
}
