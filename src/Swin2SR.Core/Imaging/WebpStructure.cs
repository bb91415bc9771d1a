using System.Buffers.Binary;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// Checks a WebP file's RIFF container against its length before ImageSharp sees it: ImageSharp decodes a
/// truncated WebP without complaint, and allocates whatever size a chunk header claims (docs/fuzzing.md).
/// </summary>
internal static class WebpStructure
{
    private const int RiffHeaderLength = 12;
    private const int ChunkHeaderLength = 8;

    private readonly record struct Chunk(string Name, long Offset, long Size);

    /// <summary>Null when every chunk fits the file; otherwise why not.</summary>
    public static string? FindDamage(ReadOnlySpan<byte> data)
    {
        if (data.Length < RiffHeaderLength || !data[..4].SequenceEqual("RIFF"u8) || !data[8..12].SequenceEqual("WEBP"u8))
            return "it does not start with a RIFF WEBP header";
        long declared = DeclaredEnd(data);
        if (declared > data.Length)
            return $"the file is {data.Length} bytes but its header declares {declared} (the file is truncated)";
        var chunks = Chunks(data, out var overrun);
        if (overrun is { } chunk)
            return $"the {chunk.Name.Trim()} chunk runs past the end of the file (the file is truncated)";
        return chunks.Count == 0 ? "the WebP container holds no image chunk" : null;
    }

    /// <summary>
    /// True when the file holds VP8L data (a lossless image, or a losslessly compressed ALPH alpha plane).
    /// ImageSharp 2.1's VP8L decoder sizes its Huffman tables by the largest group index in the stream, not by
    /// the image: a tiny crafted file can make it allocate gigabytes (docs/fuzzing.md), so such decodes are
    /// kept to one at a time. Call only on data <see cref="FindDamage"/> accepted.
    /// </summary>
    public static bool UsesLosslessCoding(ReadOnlySpan<byte> data)
    {
        foreach (var chunk in Chunks(data, out _))
        {
            // ALPH's first byte: compression method in bits 0-1, 1 meaning lossless (VP8L) coding.
            if (chunk.Name == "VP8L" || (chunk.Name == "ALPH" && chunk.Size > 0 && (data[(int)chunk.Offset + ChunkHeaderLength] & 0x03) == 1))
                return true;
        }
        return false;
    }

    /// <summary>Where the data of the first chunk named <paramref name="name"/> lies. Call only on data <see cref="FindDamage"/> accepted.</summary>
    public static Range? FindChunk(ReadOnlySpan<byte> data, string name)
    {
        foreach (var chunk in Chunks(data, out _))
        {
            if (chunk.Name == name)
                return new Range((int)chunk.Offset + ChunkHeaderLength, (int)(chunk.Offset + ChunkHeaderLength + chunk.Size));
        }
        return null;
    }

    /// <summary>The image itself is lossless (a VP8L chunk; a lossy one may still have a losslessly coded alpha). Call only on data <see cref="FindDamage"/> accepted.</summary>
    public static bool IsLossless(ReadOnlySpan<byte> data) => Chunks(data, out _).Exists(chunk => chunk.Name == "VP8L");

    /// <summary>An animation (ANIM and ANMF chunks). Call only on data <see cref="FindDamage"/> accepted.</summary>
    public static bool IsAnimated(ReadOnlySpan<byte> data) => Chunks(data, out _).Exists(chunk => chunk.Name is "ANIM" or "ANMF");

    private static long DeclaredEnd(ReadOnlySpan<byte> data) => BinaryPrimitives.ReadUInt32LittleEndian(data[4..8]) + 8L;

    /// <summary>The chunks within the declared RIFF length; <paramref name="overrun"/> is the first one that runs past it.</summary>
    private static List<Chunk> Chunks(ReadOnlySpan<byte> data, out Chunk? overrun)
    {
        var chunks = new List<Chunk>();
        overrun = null;
        long end = Math.Min(DeclaredEnd(data), data.Length);
        long p = RiffHeaderLength;
        while (p + ChunkHeaderLength <= end)
        {
            var chunk = new Chunk(System.Text.Encoding.ASCII.GetString(data.Slice((int)p, 4)), p, BinaryPrimitives.ReadUInt32LittleEndian(data.Slice((int)p + 4, 4)));
            // Chunks are padded to an even length; a missing pad byte at the very end is tolerated.
            if (p + ChunkHeaderLength + chunk.Size > end)
            {
                overrun = chunk;
                break;
            }
            chunks.Add(chunk);
            p += ChunkHeaderLength + chunk.Size + (chunk.Size & 1);
        }
        return chunks;
    }
}
