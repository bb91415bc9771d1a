using System.Buffers.Binary;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// Embeds an ICC profile in an encoded WebP, which ImageSharp 2.1 reads but does not write: an ICCP chunk right
/// after the VP8X header chunk (created when the encoder wrote the simple format), the VP8X ICC flag set, and
/// the RIFF size updated.
/// </summary>
internal static class WebpIccProfile
{
    private const int RiffHeaderLength = 12;
    private const int ChunkHeaderLength = 8;
    private const int Vp8xPayloadLength = 10;
    private const byte IccFlag = 0x20;
    private const byte AlphaFlag = 0x10;

    public static byte[] Embed(byte[] webp, byte[] profile, int width, int height)
    {
        var output = new MemoryStream(webp.Length + profile.Length + 64);
        output.Write(webp.AsSpan(0, RiffHeaderLength));
        var first = webp.AsSpan(RiffHeaderLength);
        string firstName = System.Text.Encoding.ASCII.GetString(first[..4]);
        if (firstName == "VP8X")
        {
            var vp8x = first[..(ChunkHeaderLength + Vp8xPayloadLength)].ToArray();
            vp8x[ChunkHeaderLength] |= IccFlag;
            output.Write(vp8x);
            first = first[vp8x.Length..];
        }
        else
        {
            output.Write(Vp8x(IccFlag | (HasAlpha(webp) ? AlphaFlag : 0), width, height));
        }
        WriteChunk(output, "ICCP"u8, profile);
        output.Write(first);
        var result = output.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4), (uint)(result.Length - 8));
        return result;
    }

    /// <summary>A simple-format lossless image (VP8L) carries its alpha flag in its header: bit 28 after the signature byte.</summary>
    private static bool HasAlpha(byte[] webp) =>
        webp.AsSpan(RiffHeaderLength, 4).SequenceEqual("VP8L"u8) && (BinaryPrimitives.ReadUInt32LittleEndian(webp.AsSpan(RiffHeaderLength + ChunkHeaderLength + 1)) >> 28 & 1) == 1;

    private static byte[] Vp8x(int flags, int width, int height)
    {
        var chunk = new byte[ChunkHeaderLength + Vp8xPayloadLength];
        "VP8X"u8.CopyTo(chunk);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), Vp8xPayloadLength);
        chunk[ChunkHeaderLength] = (byte)flags;
        // Canvas width and height minus one, 24 bits each, little-endian.
        WriteUInt24(chunk.AsSpan(ChunkHeaderLength + 4), width - 1);
        WriteUInt24(chunk.AsSpan(ChunkHeaderLength + 7), height - 1);
        return chunk;
    }

    private static void WriteUInt24(Span<byte> target, int value)
    {
        target[0] = (byte)value;
        target[1] = (byte)(value >> 8);
        target[2] = (byte)(value >> 16);
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> name, byte[] payload)
    {
        Span<byte> header = stackalloc byte[ChunkHeaderLength];
        name.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)payload.Length);
        output.Write(header);
        output.Write(payload);
        if ((payload.Length & 1) == 1)
            output.WriteByte(0);
    }
}
