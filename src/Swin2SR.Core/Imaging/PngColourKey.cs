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
        if (PngChunks.List(png) is not [{ Type: "IHDR" } header, ..] || header.Data.GetOffsetAndLength(png.Length).Length < 13)
            return png;
        // IHDR: width (4), height (4), bit depth (1), colour type (1), ...
        var fields = png.AsSpan(header.Data);
        if (fields[8] != 16 || fields[9] is not (Gray or Rgb))
            return png;
        if (PngChunks.FindBeforeImageData(png, "tRNS") is not { } key)
            return png;
        var copy = png.ToArray();
        var (start, length) = key.GetOffsetAndLength(png.Length);
        for (int i = start; i + 1 < start + length; i += 2)
            (copy[i], copy[i + 1]) = (copy[i + 1], copy[i]);
        // The CRC covers the chunk's type and data: the four bytes before the data and the data.
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(start + length), Crc32.Compute(copy.AsSpan(start - 4, length + 4)));
        return copy;
    }
}
