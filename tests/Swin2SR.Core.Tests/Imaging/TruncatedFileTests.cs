using System.Buffers.Binary;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>
/// A file cut short (an interrupted copy or download) is CorruptImage, not an image whose missing part the decoder
/// fills with black or grey and the run reports as upscaled (README: "truncated files are refused").
/// </summary>
public sealed class TruncatedFileTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ImageLoader _loader = new(ImageLimits.Default);

    public void Dispose() => _folder.Dispose();

    private static Rgb24 Pixel(int x, int y) => new((byte)(x * 29 + 3), (byte)(200 - y * 31), (byte)(x * y * 7 + 60));

    private string Save(string name, byte[] bytes)
    {
        string path = _folder.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private void AssertTruncated(string name, byte[] bytes, string because)
    {
        string path = Save(name, bytes);
        var error = Assert.Throws<ImageInputException>(() => _loader.Load(path, 2));
        Assert.Equal("CorruptImage", error.ErrorId);
        Assert.StartsWith(path + ": ", error.Message);
        Assert.Contains(because, error.Reason);
        Assert.Contains("truncated", error.Reason);
    }

    [Fact]
    public void A_tiff_whose_strip_runs_past_the_end_of_the_file_is_CorruptImage()
    {
        // One strip, its byte count in the directory: as if the file had been cut after its first 60000 bytes were planned.
        var tiff = HandMadeTiff.Rgb(9, 5, Pixel, planar: false);
        var cut = HandMadeTiff.WithFirstPageValue(tiff, HandMadeTiff.StripByteCountsTag, 60000);
        AssertTruncated("cut.tif", cut, "its image data runs past the end");
    }

    [Fact]
    public void A_tiff_cut_before_its_directory_is_CorruptImage()
    {
        using var image = FixtureImages.Pattern(40, 30, FixtureImages.Colour);
        var tiff = FixtureImages.Encode(image, new TiffEncoder());
        AssertTruncated("cut.tif", tiff[..(tiff.Length * 2 / 3)], "past the end of the");
    }

    /// <summary>
    /// Pillow and libtiff write a tag's values after the directory, last in the file: cut by a byte there, the file
    /// failed as "the image header is damaged (Nullable object must have a value.)".
    /// </summary>
    [Fact]
    public void A_tiff_cut_in_the_values_after_its_directory_is_CorruptImage_that_says_truncated()
    {
        var tiff = HandMadeTiff.Rgb(9, 5, Pixel, planar: false);
        // BitsPerSample's three SHORTs moved to the end of the file, then the file cut one byte short.
        byte[] valuesLast = [.. tiff, 8, 0, 8, 0, 8, 0];
        var moved = HandMadeTiff.WithFirstPageValue(valuesLast, HandMadeTiff.BitsPerSampleTag, (ushort)tiff.Length);
        Assert.Equal(5, _loader.Load(Save("whole.tif", moved), 2).Pixels.Height);
        AssertTruncated("cut.tif", moved[..^1], "the values of its tag 258 lie past the end of the");
    }

    [Fact]
    public void A_bigtiff_whose_strip_list_is_said_to_lie_near_the_end_of_the_64_bit_range_is_CorruptImage()
    {
        // A BigTIFF of one directory at byte 16 whose one entry, StripOffsets, holds two LONG8 values at an offset
        // whose sum with their length wraps past 2^64 to a small number: it must read as past the end, not inside.
        var bytes = new byte[64];
        "II"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), 43);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), 8);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), 16);
        var ifd = bytes.AsSpan(16);
        BinaryPrimitives.WriteUInt64LittleEndian(ifd, 1);
        BinaryPrimitives.WriteUInt16LittleEndian(ifd[8..], 273);   // StripOffsets
        BinaryPrimitives.WriteUInt16LittleEndian(ifd[10..], 16);   // LONG8
        BinaryPrimitives.WriteUInt64LittleEndian(ifd[12..], 2);
        BinaryPrimitives.WriteUInt64LittleEndian(ifd[20..], ulong.MaxValue - 7);
        AssertTruncated("wrapped.tif", bytes, "the list of where its strips lie runs past the end");
    }

    [Fact]
    public void A_whole_tiff_of_strips_still_loads()
    {
        using var image = FixtureImages.Pattern(40, 300, FixtureImages.Colour);
        string path = _folder.File("whole.tif");
        File.WriteAllBytes(path, FixtureImages.Encode(image, new TiffEncoder()));
        Assert.Equal(300, _loader.Load(path, 2).Pixels.Height);
    }

    [Theory]
    [InlineData(BmpBitsPerPixel.Pixel1)]
    [InlineData(BmpBitsPerPixel.Pixel8)]
    [InlineData(BmpBitsPerPixel.Pixel16)]
    [InlineData(BmpBitsPerPixel.Pixel24)]
    [InlineData(BmpBitsPerPixel.Pixel32)]
    public void A_bmp_cut_short_is_CorruptImage_and_a_whole_one_loads_even_without_its_last_rows_padding(BmpBitsPerPixel bits)
    {
        // 41 pixels: a row of 1, 8, 16 or 24 bits is not a multiple of 4 bytes, so padding ends it (none at 32 bits).
        using var image = FixtureImages.Pattern(41, 30, FixtureImages.Colour);
        var bmp = FixtureImages.Encode(image, new BmpEncoder { BitsPerPixel = bits });
        AssertTruncated("cut.bmp", bmp[..(bmp.Length * 2 / 3)], "its rows need");
        int padding = (4 - (41 * (int)bits + 7) / 8 % 4) % 4;
        string path = _folder.File("whole.bmp");
        File.WriteAllBytes(path, bmp[..^padding]);
        Assert.Equal(30, _loader.Load(path, 2).Pixels.Height);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.05)]
    public void A_gif_whose_first_frame_is_cut_short_is_CorruptImage(double kept)
    {
        using var image = FixtureImages.Pattern(40, 30, FixtureImages.Colour);
        var gif = FixtureImages.Encode(image, new GifEncoder());
        AssertTruncated("cut.gif", gif[..(int)(gif.Length * kept)], "the file is truncated");
    }

    [Fact]
    public void A_gif_cut_after_its_first_frame_loads_that_frame()
    {
        using var image = FixtureImages.Pattern(40, 30, FixtureImages.Colour);
        var gif = FixtureImages.Encode(image, new GifEncoder());
        string path = _folder.File("no-trailer.gif");
        File.WriteAllBytes(path, gif[..^1]);
        Assert.Equal(30, _loader.Load(path, 2).Pixels.Height);
    }
}
