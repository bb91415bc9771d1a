using System.Buffers.Binary;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// Works around ImageSharp 2.1 reading the tRNS colour key of a 16-bit gray or RGB PNG little-endian (a PNG is
/// big-endian throughout): the key colour stayed opaque, and the colour equal to its byte swap turned transparent.
/// The decoder is given a copy whose key is stored byte-swapped, so that its reading yields the key the file names.
/// </summary>
internal static class PngColourKey
{
    private const int Gray = 0, Rgb = 2;

    /// <summary>The data to give the decoder: a copy with the 16-bit colour key swapped, or the data itself when it has none.</summary>
    public static byte[] ForDecoder(byte[] png)
    {
        var chunks = PngChunks.List(png);
        if (chunks.Count == 0 || chunks[0].Type != "IHDR" || chunks[0].Data.GetOffsetAndLength(png.Length).Length < 13)
            return png;
        var header = png.AsSpan(chunks[0].Data);
        // IHDR: width (4), height (4), bit depth (1), colour type (1), ...
        if (header[8] != 16 || header[9] is not (Gray or Rgb))
            return png;
        int imageData = chunks.FindIndex(chunk => chunk.Type == "IDAT");
        int key = chunks.FindIndex(chunk => chunk.Type == "tRNS");
        if (key < 0 || (imageData >= 0 && key > imageData))
            return png;
        var copy = png.ToArray();
        var (start, length) = chunks[key].Data.GetOffsetAndLength(png.Length);
        for (int i = start; i + 1 < start + length; i += 2)
            (copy[i], copy[i + 1]) = (copy[i + 1], copy[i]);
        // The CRC covers the chunk's type and data: the four bytes before the data and the data.
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(start + length), Crc32.Compute(copy.AsSpan(start - 4, length + 4)));
        return copy;
    }
}
