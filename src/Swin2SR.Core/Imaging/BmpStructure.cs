using System.Buffers.Binary;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// Checks a BMP's headers against its length before ImageSharp sees it: ImageSharp 2.1 sizes the colour table by
/// the distance from the headers to the pixel data the file header claims, so a mutated offset of 2 GB made it
/// allocate 2 GB for a 1 KB file (docs/fuzzing.md). The file-size field is not checked: writers often leave it 0.
/// </summary>
internal static class BmpStructure
{
    private const int FileHeaderLength = 14;

    /// <summary>Null when the headers, the colour table and the start of the pixel data lie within the file; otherwise why not.</summary>
    public static string? FindDamage(ReadOnlySpan<byte> data)
    {
        if (data.Length < FileHeaderLength + 4)
            return "the file is shorter than a BMP's headers (the file is truncated)";
        uint pixelOffset = BinaryPrimitives.ReadUInt32LittleEndian(data[10..]);
        uint infoLength = BinaryPrimitives.ReadUInt32LittleEndian(data[FileHeaderLength..]);
        if (FileHeaderLength + (long)infoLength > data.Length)
            return $"its header claims {infoLength} bytes, more than the file holds (the file is truncated or damaged)";
        if (pixelOffset >= data.Length)
            return $"its pixel data is said to start at byte {pixelOffset}, past the end of the {data.Length}-byte file";
        if (pixelOffset < FileHeaderLength + infoLength)
            return $"its pixel data is said to start at byte {pixelOffset}, inside its own headers";
        return null;
    }
}
