using System.Buffers.Binary;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// Checks that a PNG's image data is all there. ImageSharp 2.1 decodes a truncated PNG without complaint, the rows it
/// never received left transparent, so a file cut short by a failed copy or download would be upscaled, pass the
/// quality gate (the input is blank in the same place) and be reported as a success. The IDAT stream must inflate to
/// the size its header implies: a filter byte and the packed pixels of each row, of each Adam7 pass when interlaced.
/// A file cut after its last IDAT (IEND missing) still holds the whole image and is accepted, as libpng does.
/// </summary>
internal static class PngImageData
{
    private static readonly (int X, int Y, int StepX, int StepY)[] s_adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    /// <summary>Null when the image data is complete (or the header is one the decoder itself refuses); otherwise why not.</summary>
    public static string? FindDamage(byte[] png)
    {
        var chunks = PngChunks.List(png, out var cut);
        if (chunks.Count == 0 || chunks[0].Type != "IHDR" || ExpectedLength(png, chunks[0].Data) is not { } expected)
            return null;
        using var imageData = new MemoryStream();
        // The part of an IDAT the file was cut inside counts too: the share of the image the file holds is what it says.
        foreach (var chunk in chunks.Append(cut ?? default).Where(c => c.Type == "IDAT"))
        {
            var (offset, length) = chunk.Data.GetOffsetAndLength(png.Length);
            imageData.Write(png, offset, length);
        }
        imageData.Position = 0;
        var (inflated, whole) = BoundedInflate.Run(imageData, expected);
        if (!whole)
            return "its image data does not inflate (damaged compressed data)";
        return inflated < expected
            ? $"its image data ends after {inflated * 100 / expected}% of the image (the file was cut short)"
            : null;
    }

    /// <summary>The inflated size of the image data the header describes; null for a header the decoder will refuse.</summary>
    private static long? ExpectedLength(byte[] png, Range header)
    {
        var (offset, length) = header.GetOffsetAndLength(png.Length);
        if (length < 13)
            return null;
        var ihdr = png.AsSpan(offset, 13);
        long width = BinaryPrimitives.ReadUInt32BigEndian(ihdr);
        long height = BinaryPrimitives.ReadUInt32BigEndian(ihdr[4..]);
        int bitDepth = ihdr[8];
        int? channels = ihdr[9] switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => null };
        if (channels is null || width == 0 || height == 0 || bitDepth is not (1 or 2 or 4 or 8 or 16))
            return null;
        int bitsPerPixel = channels.Value * bitDepth;
        if (ihdr[12] == 0)
            return RowsLength(width, height, bitsPerPixel);
        long total = 0;
        foreach (var (x, y, stepX, stepY) in s_adam7)
            total += RowsLength(PassExtent(width, x, stepX), PassExtent(height, y, stepY), bitsPerPixel);
        return total;
    }

    private static long PassExtent(long size, int start, int step) => size > start ? (size - start + step - 1) / step : 0;

    // An empty pass has no rows, not even their filter bytes.
    private static long RowsLength(long width, long height, int bitsPerPixel) =>
        width == 0 || height == 0 ? 0 : height * (1 + (width * bitsPerPixel + 7) / 8);
}
