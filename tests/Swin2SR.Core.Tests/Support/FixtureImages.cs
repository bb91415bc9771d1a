using System.Buffers.Binary;
using System.IO.Compression;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Imaging;

namespace Swin2SR.Core.Tests.Support;

/// <summary>The odd and hostile files of the hardening tests, made on the spot from known pixels.</summary>
internal static class FixtureImages
{
    /// <summary>A deterministic pattern with every channel varying, so orientation and channel mix-ups show.</summary>
    public static Image<TPixel> Pattern<TPixel>(int width, int height, Func<int, int, TPixel> pixel)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        var image = new Image<TPixel>(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                image[x, y] = pixel(x, y);
        return image;
    }

    public static Rgba32 Colour(int x, int y) => new((byte)(x * 37 + y * 11), (byte)(y * 53 + 7), (byte)(x * y * 5 + 90), 255);

    public static byte[] Encode(Image image, IImageEncoder encoder)
    {
        var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    public static string Save(string path, Image image, IImageEncoder encoder)
    {
        File.WriteAllBytes(path, Encode(image, encoder));
        return path;
    }

    /// <summary>A valid 16x16 PNG whose IHDR (CRC fixed up) then claims <paramref name="width"/> x <paramref name="height"/>.</summary>
    public static byte[] PngClaiming(int width, int height)
    {
        using var image = Pattern(16, 16, Colour);
        var png = Encode(image, new PngEncoder());
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), height);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), PngCrc(png.AsSpan(12, 17)));
        return png;
    }

    /// <summary>A valid 16x16 24-bit BMP whose info header then claims <paramref name="width"/> x <paramref name="height"/>.</summary>
    public static byte[] BmpClaiming(int width, int height)
    {
        using var image = Pattern(16, 16, Colour);
        var bmp = Encode(image, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 });
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), height);
        return bmp;
    }

    /// <summary>Inserts a PNG chunk right after IHDR.</summary>
    public static byte[] WithChunk(byte[] png, string type, byte[] data)
    {
        const int afterHeader = 33;
        return [.. png[..afterHeader], .. PngChunk(type, data), .. png[afterHeader..]];
    }

    /// <summary>
    /// The same PNG with its image data in IDAT chunks of <paramref name="size"/> bytes, as libpng writes them
    /// (8 KiB); ImageSharp writes one.
    /// </summary>
    public static byte[] WithImageDataSplit(byte[] png, int size)
    {
        var chunks = PngChunks.List(png);
        var imageData = chunks.Where(c => c.Type == "IDAT").SelectMany(c => png[c.Data]).ToArray();
        var output = new List<byte>(png[..8]);
        bool written = false;
        foreach (var chunk in chunks)
        {
            var (offset, length) = chunk.Data.GetOffsetAndLength(png.Length);
            if (chunk.Type != "IDAT")
                output.AddRange(png[(offset - 8)..(offset + length + 4)]); // length, type, data, CRC
            else if (!written)
                foreach (var part in imageData.Chunk(size))
                    output.AddRange(PngChunk("IDAT", part));
            written |= chunk.Type == "IDAT";
        }
        return [.. output];
    }

    private static byte[] PngChunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        System.Text.Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), PngCrc(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    /// <summary>iCCP chunk data: a name, NUL, compression method 0, the zlib-compressed profile.</summary>
    public static byte[] IccChunkData(byte[] profile)
    {
        var data = new MemoryStream();
        data.Write("test profile\0\0"u8);
        using (var z = new ZLibStream(data, CompressionLevel.Optimal, leaveOpen: true))
            z.Write(profile);
        return data.ToArray();
    }

    /// <summary>
    /// A minimal well-formed ICC v2 display profile (header, one 'desc' tag) whose description carries
    /// <paramref name="name"/>, so two profiles differ and a round trip can be compared byte for byte.
    /// <paramref name="colourSpace"/> is the data colour space signature, four characters ("RGB ", "GRAY", "CMYK").
    /// </summary>
    public static byte[] IccProfile(string name, string colourSpace = "RGB ")
    {
        var text = System.Text.Encoding.ASCII.GetBytes(name);
        var desc = new List<byte>();
        desc.AddRange("desc"u8.ToArray());
        desc.AddRange(new byte[4]);
        desc.AddRange(BigEndian(text.Length + 1));
        desc.AddRange(text);
        desc.Add(0);
        desc.AddRange(new byte[12 + 67]);
        while (desc.Count % 4 != 0)
            desc.Add(0);
        int total = 128 + 4 + 12 + desc.Count;
        var profile = new byte[total];
        BigEndian(total).CopyTo(profile, 0);
        BigEndian(0x02100000).CopyTo(profile, 8);
        System.Text.Encoding.ASCII.GetBytes("mntr" + colourSpace + "XYZ ").CopyTo(profile, 12);
        "acsp"u8.ToArray().CopyTo(profile, 36);
        // The D50 illuminant, as every profile states it.
        BigEndian(0x0000F6D6).CopyTo(profile, 68);
        BigEndian(0x00010000).CopyTo(profile, 72);
        BigEndian(0x0000D32D).CopyTo(profile, 76);
        BigEndian(1).CopyTo(profile, 128);
        "desc"u8.ToArray().CopyTo(profile, 132);
        BigEndian(144).CopyTo(profile, 136);
        BigEndian(desc.Count).CopyTo(profile, 140);
        desc.ToArray().CopyTo(profile, 144);
        return profile;
    }

    private static byte[] BigEndian(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    public static uint PngCrc(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            c ^= b;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        }
        return c ^ 0xFFFFFFFF;
    }
}
