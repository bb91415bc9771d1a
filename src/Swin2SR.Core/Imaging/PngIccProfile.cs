using System.Buffers.Binary;
using System.IO.Compression;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// The PNG iCCP chunk, which ImageSharp 2.1 neither reads nor writes: read from the input's bytes, and written
/// into the output right after IHDR (the chunk must come before PLTE and IDAT).
/// </summary>
internal static class PngIccProfile
{
    /// <summary>Where the first chunk after IHDR starts: the signature, then IHDR's length, type, 13 bytes of data and CRC.</summary>
    public const int AfterHeader = 8 + 4 + 4 + 13 + 4;

    /// <summary>Real profiles are well under a megabyte; a larger inflated size is a zip bomb, not a profile.</summary>
    private const int MaxProfileLength = 16 << 20;

    /// <summary>The embedded profile, or null when there is none or it cannot be read (a damaged profile is dropped, not fatal).</summary>
    public static byte[]? Read(ReadOnlySpan<byte> png) =>
        PngChunks.FindBeforeImageData(png, "iCCP") is { } chunk ? Inflate(png[chunk]) : null;

    /// <summary>Profile name (1-79 bytes), NUL, compression method 0, then the zlib stream.</summary>
    private static byte[]? Inflate(ReadOnlySpan<byte> chunk)
    {
        int nul = chunk.IndexOf((byte)0);
        if (nul < 1 || nul + 2 > chunk.Length || chunk[nul + 1] != 0)
            return null;
        using var profile = new MemoryStream();
        var (length, whole) = BoundedInflate.Run(new MemoryStream(chunk[(nul + 2)..].ToArray()), MaxProfileLength, profile);
        return whole && length is > 0 and <= MaxProfileLength ? profile.ToArray() : null;
    }

    /// <summary>A complete iCCP chunk (length, type, data, CRC) carrying <paramref name="profile"/>.</summary>
    public static byte[] CreateChunk(byte[] profile)
    {
        using var data = new MemoryStream();
        data.Write("iCCP"u8);
        data.Write("ICC Profile"u8);
        data.WriteByte(0);
        data.WriteByte(0);
        using (var deflater = new ZLibStream(data, CompressionLevel.Optimal, leaveOpen: true))
            deflater.Write(profile);
        var typeAndData = data.ToArray();
        var chunk = new byte[4 + typeAndData.Length + 4];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)(typeAndData.Length - 4));
        typeAndData.CopyTo(chunk, 4);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(4 + typeAndData.Length), Crc32.Compute(typeAndData));
        return chunk;
    }
}

/// <summary>The CRC-32 of PNG chunks (ISO 3309, polynomial 0xEDB88320).</summary>
internal static class Crc32
{
    private static readonly uint[] s_table = MakeTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
            crc = s_table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFF;
    }

    private static uint[] MakeTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
