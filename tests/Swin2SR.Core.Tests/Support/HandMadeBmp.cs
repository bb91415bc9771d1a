using System.Buffers.Binary;
using SixLabors.ImageSharp.PixelFormats;

namespace Swin2SR.Core.Tests.Support;

/// <summary>
/// Writes run-length coded BMPs (RLE8, RLE4) from their codes, row by row, as ImageSharp 2.1 cannot write them: a
/// BITMAPINFOHEADER, a palette, then the rows bottom-up, each closed by an end-of-line code, and an end-of-bitmap code.
/// </summary>
internal static class HandMadeBmp
{
    /// <param name="rowsTopDown">Each row's codes, top row first, without its end-of-line code.</param>
    /// <param name="bits">8 for RLE8, 4 for RLE4.</param>
    public static byte[] RunLength(int width, byte[][] rowsTopDown, int bits, Rgb24[] palette)
    {
        var codes = new List<byte>();
        foreach (var row in rowsTopDown.Reverse())
            codes.AddRange([.. row, 0, 0]);
        codes.AddRange([0, 1]);
        int pixelOffset = 14 + 40 + 4 * palette.Length;
        var file = new byte[pixelOffset + codes.Count];
        var span = file.AsSpan();
        "BM"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[2..], file.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[10..], pixelOffset);
        BinaryPrimitives.WriteInt32LittleEndian(span[14..], 40);
        BinaryPrimitives.WriteInt32LittleEndian(span[18..], width);
        BinaryPrimitives.WriteInt32LittleEndian(span[22..], rowsTopDown.Length);
        BinaryPrimitives.WriteInt16LittleEndian(span[26..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(span[28..], (short)bits);
        BinaryPrimitives.WriteInt32LittleEndian(span[30..], bits == 8 ? 1 : 2);
        BinaryPrimitives.WriteInt32LittleEndian(span[34..], codes.Count);
        BinaryPrimitives.WriteInt32LittleEndian(span[46..], palette.Length);
        for (int i = 0; i < palette.Length; i++)
            palette[i].Deconstruct(out span[54 + 4 * i + 2], out span[54 + 4 * i + 1], out span[54 + 4 * i]);
        codes.CopyTo(file, pixelOffset);
        return file;
    }

    /// <summary>A palette of <paramref name="count"/> grays from black up.</summary>
    public static Rgb24[] Grays(int count) => [.. Enumerable.Range(0, count).Select(i => new Rgb24((byte)(i * 255 / (count - 1)), (byte)(i * 255 / (count - 1)), (byte)(i * 255 / (count - 1))))];

    private static void Deconstruct(this Rgb24 colour, out byte r, out byte g, out byte b) => (r, g, b) = (colour.R, colour.G, colour.B);
}
