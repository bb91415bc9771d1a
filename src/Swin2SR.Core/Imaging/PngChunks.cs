using System.Buffers.Binary;

namespace Swin2SR.Core.Imaging;

/// <summary>Walks the chunks of a PNG file: metadata is found, and checked, without decoding the image.</summary>
internal static class PngChunks
{
    private static readonly byte[] s_signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>A chunk's type and where its data lies in the file.</summary>
    public readonly record struct Chunk(string Type, Range Data);

    /// <summary>
    /// The chunks in file order, up to IEND, the end of the file, or a chunk whose length runs past the end; none
    /// when the file is not a PNG.
    /// </summary>
    public static List<Chunk> List(ReadOnlySpan<byte> png) => List(png, out _);

    /// <summary>
    /// <see cref="List(ReadOnlySpan{byte})"/>, and the chunk the file ends inside, with as much of its data as the file
    /// holds (what a copy cut short kept of it); null when the file ends at a chunk's end.
    /// </summary>
    public static List<Chunk> List(ReadOnlySpan<byte> png, out Chunk? cut)
    {
        var chunks = new List<Chunk>();
        cut = null;
        if (png.Length < s_signature.Length || !png[..s_signature.Length].SequenceEqual(s_signature))
            return chunks;
        int p = s_signature.Length;
        // Each chunk: 4 bytes of length, 4 of type, the data, 4 of CRC.
        while (p + 12 <= png.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(png.Slice(p, 4));
            var type = System.Text.Encoding.ASCII.GetString(png.Slice(p + 4, 4));
            if (length > png.Length - p - 12)
            {
                cut = new Chunk(type, new Range(p + 8, p + 8 + (int)Math.Min(length, (uint)(png.Length - p - 8))));
                break;
            }
            var chunk = new Chunk(type, new Range(p + 8, p + 8 + (int)length));
            chunks.Add(chunk);
            if (chunk.Type == "IEND")
                break;
            p += 12 + (int)length;
        }
        return chunks;
    }

    /// <summary>Where the data of the first chunk of <paramref name="type"/> lies, wherever it comes (eXIf may follow the image data).</summary>
    public static Range? Find(ReadOnlySpan<byte> png, string type) => List(png).Find(chunk => chunk.Type == type) is { Type: not null } found ? found.Data : null;

    /// <summary>Where the data of the first chunk of <paramref name="type"/> lies, if one comes before the first IDAT.</summary>
    public static Range? FindBeforeImageData(ReadOnlySpan<byte> png, string type)
    {
        foreach (var chunk in List(png))
        {
            if (chunk.Type == "IDAT")
                return null;
            if (chunk.Type == type)
                return chunk.Data;
        }
        return null;
    }

    /// <summary>An animated PNG (APNG) announces itself with an acTL chunk before its image data.</summary>
    public static bool IsAnimated(ReadOnlySpan<byte> png) => FindBeforeImageData(png, "acTL") is not null;
}
