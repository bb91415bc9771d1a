using SixLabors.ImageSharp.PixelFormats;

namespace Swin2SR.Core.Tests.Support;

/// <summary>
/// Writes a still GIF whose one image may cover only part of its logical screen (ImageSharp 2.1's encoder always
/// writes frames the size of the canvas): a header, a logical screen with a global colour table, optionally a graphic
/// control extension naming a transparent index, an image descriptor at an offset, and its LZW data.
/// </summary>
internal static class HandMadeGif
{
    /// <summary>
    /// Indexes into a 256-entry table; a clear code every <see cref="CodesPerClear"/> codes keeps every code 9 bits
    /// wide, so the data needs no dictionary: plain, and valid for every decoder.
    /// </summary>
    private const int MinCodeSize = 8;
    private const int ClearCode = 1 << MinCodeSize;
    private const int EndCode = ClearCode + 1;
    private const int CodesPerClear = (1 << MinCodeSize) - 2;

    /// <param name="indexes">The frame's colour indexes, row by row, <paramref name="frameWidth"/> to a row.</param>
    /// <param name="palette">Up to 256 colours; the rest of the table is black.</param>
    /// <param name="transparentIndex">The index a graphic control extension names transparent; null: none written.</param>
    public static byte[] Still(int canvasWidth, int canvasHeight, int left, int top, int frameWidth, byte[] indexes, Rgb24[] palette,
        byte backgroundIndex = 0, byte? transparentIndex = null)
    {
        var file = new List<byte>();
        file.AddRange("GIF89a"u8.ToArray());
        AddShort(file, canvasWidth);
        AddShort(file, canvasHeight);
        // A global colour table of 2^(7+1) entries, 8 bits per primary.
        file.AddRange([0xF7, backgroundIndex, 0]);
        for (int i = 0; i < 256; i++)
            file.AddRange(i < palette.Length ? [palette[i].R, palette[i].G, palette[i].B] : [0, 0, 0]);
        if (transparentIndex is { } transparent)
            file.AddRange([0x21, 0xF9, 4, 0x01, 0, 0, transparent, 0]);
        file.Add(0x2C);
        AddShort(file, left);
        AddShort(file, top);
        AddShort(file, frameWidth);
        AddShort(file, indexes.Length / frameWidth);
        file.Add(0);
        file.Add(MinCodeSize);
        var data = Lzw(indexes);
        for (int p = 0; p < data.Length; p += 255)
        {
            int size = Math.Min(255, data.Length - p);
            file.Add((byte)size);
            file.AddRange(data.AsSpan(p, size).ToArray());
        }
        file.AddRange([0, 0x3B]);
        return [.. file];
    }

    /// <summary>The indexes as 9-bit codes, least significant bit first.</summary>
    private static byte[] Lzw(byte[] indexes)
    {
        var codes = new List<int>();
        for (int i = 0; i < indexes.Length; i++)
        {
            if (i % CodesPerClear == 0)
                codes.Add(ClearCode);
            codes.Add(indexes[i]);
        }
        codes.Add(EndCode);
        var bytes = new byte[(codes.Count * (MinCodeSize + 1) + 7) / 8];
        int bit = 0;
        foreach (int code in codes)
        {
            for (int b = 0; b <= MinCodeSize; b++, bit++)
            {
                if ((code >> b & 1) != 0)
                    bytes[bit / 8] |= (byte)(1 << bit % 8);
            }
        }
        return bytes;
    }

    private static void AddShort(List<byte> file, int value) => file.AddRange([(byte)value, (byte)(value >> 8)]);
}
