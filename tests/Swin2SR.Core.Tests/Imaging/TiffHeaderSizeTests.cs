using System.Buffers.Binary;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>
/// A scan whose TIFF directory comes after its pixels (as libtiff writes it) is refused for its stated size before
/// the pixels are read: an archive's 1.5 GB uncompressed TIFF was read whole, 5 s and 1.5 GB of memory, to be
/// refused by the megapixel limit.
/// </summary>
public sealed class TiffHeaderSizeTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_scan_over_the_limit_is_refused_as_the_file_is_opened_from_the_directory_after_its_pixels()
    {
        // 25000x20000 RGB: 1.5 GB of pixels; the file is sparse, 300 MB of them before the directory.
        string scan = WriteScan(_folder.File("scan.tif"), 25000, 20000, pixelBytes: 300L << 20);
        var loader = new ImageLoader(ImageLimits.Default);
        var error = Assert.Throws<ImageInputException>(() => loader.Read(scan, 2, out _));
        Assert.Equal("ImageTooLarge", error.ErrorId);
        Assert.EndsWith("25000x20000 is 500 megapixels, over the limit of 100 (-MaxInputMegapixels)", error.Message);
    }

    [Fact]
    public void A_scan_larger_than_the_limit_allows_a_file_is_named_for_its_size_not_its_length()
    {
        string scan = WriteScan(_folder.File("scan.tif"), 25000, 20000, pixelBytes: 1700L << 20);
        var error = Assert.Throws<ImageInputException>(() => new ImageLoader(ImageLimits.Default).Read(scan, 2, out _));
        Assert.EndsWith("25000x20000 is 500 megapixels, over the limit of 100 (-MaxInputMegapixels)", error.Message);
    }

    [Fact]
    public void A_scan_within_the_limits_is_read_whole_and_its_output_size_checked_with_the_scale()
    {
        string scan = WriteScan(_folder.File("scan.tif"), 8000, 6000, pixelBytes: 8 << 10);
        // As much memory as the x2 output needs, whatever the machine's.
        var loader = new ImageLoader(ImageLimits.Default with { MemoryBytes = 1L << 40 });
        Assert.Equal(new FileInfo(scan).Length, loader.Read(scan, 2, out _).Length);
        var error = Assert.Throws<ImageInputException>(() => loader.Read(scan, 4, out _));
        Assert.Equal("OutputTooLarge", error.ErrorId);
    }

    /// <summary>
    /// A little-endian classic TIFF: its header, <paramref name="pixelBytes"/> of zeros (a hole in the file, as much
    /// of the stated image as the test needs), then its directory: 8-bit RGB, one strip.
    /// </summary>
    private static string WriteScan(string path, int width, int height, long pixelBytes)
    {
        long directory = 8 + pixelBytes;
        var entries = new (ushort Tag, ushort Type, uint Value)[]
        {
            (256, 4, (uint)width), (257, 4, (uint)height), (259, 3, 1), (262, 3, 2), (273, 4, 8), (277, 3, 3), (278, 4, (uint)height), (279, 4, (uint)pixelBytes),
        };
        var tail = new byte[2 + entries.Length * 12 + 4];
        BinaryPrimitives.WriteUInt16LittleEndian(tail, (ushort)entries.Length);
        for (int i = 0; i < entries.Length; i++)
        {
            var entry = tail.AsSpan(2 + i * 12, 12);
            BinaryPrimitives.WriteUInt16LittleEndian(entry, entries[i].Tag);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[2..], entries[i].Type);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], 1);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], entries[i].Value);
        }
        using var file = new FileStream(path, FileMode.Create);
        file.Write("II*\0"u8);
        Span<byte> offset = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(offset, (uint)directory);
        file.Write(offset);
        file.Position = directory;
        file.Write(tail);
        return path;
    }
}
