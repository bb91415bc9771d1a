using System.Buffers.Binary;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>
/// A file whose header states a size over the limits is refused from a few bytes of its header, before the rest is
/// read: a 1.4 GB PNG claiming 40000x40000 was read whole, 1.5 GiB of memory, to be refused by the megapixel limit.
/// </summary>
public sealed class ImageHeaderSizeTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Larger than the 1.66 GB an image within the default 100 megapixels may take (sparse: no disk used).</summary>
    private const long OverTheByteLimit = 1700L << 20;

    public static TheoryData<string, string> Claims => new()
    {
        { "png", "40000x40000 is 1600 megapixels" },
        { "jpg", "40000x30000 is 1200 megapixels" },
        { "gif", "40000x40000 is 1600 megapixels" },
        { "bmp", "40000x40000 is 1600 megapixels" },
        { "webp", "16000x16000 is 256 megapixels" },
    };

    [Theory]
    [MemberData(nameof(Claims))]
    public void A_file_too_long_for_the_byte_limit_is_named_for_the_size_its_header_states(string extension, string size)
    {
        string path = Padded(_folder.File("claims." + extension), Claiming(extension), OverTheByteLimit);
        var loader = new ImageLoader(ImageLimits.Default);
        // Without the header read, the file is refused for its length ("the file is 1782.6 MB, ...").
        var error = Assert.Throws<ImageInputException>(() => loader.Read(path, 2, out _));
        Assert.Equal("ImageTooLarge", error.ErrorId);
        Assert.EndsWith($"{size}, over the limit of 100 (-MaxInputMegapixels)", error.Message);
        Assert.Equal(error.Message, Assert.Throws<ImageInputException>(() => loader.Identify(path, 2)).Message);
    }

    [Fact]
    public void A_jpeg_frame_header_after_large_exif_and_icc_segments_is_found_in_a_few_small_reads()
    {
        var jpeg = Claiming("jpg");
        using var file = new CountingStream(new MemoryStream(Padded(jpeg, 4 << 20)));
        Assert.Equal((40000, 30000), ImageHeaderSize.Read(file, "JPEG"));
        // Four bytes a segment and the frame header's five, not the 180 KiB of segments before it.
        Assert.InRange(file.BytesRead, 1, 64);
        Assert.Equal(0, file.Position);
    }

    [Fact]
    public void A_png_header_is_read_from_its_first_24_bytes()
    {
        using var file = new CountingStream(new MemoryStream(Padded(Claiming("png"), 1 << 20)));
        Assert.Equal((40000, 40000), ImageHeaderSize.Read(file, "PNG"));
        Assert.Equal(24, file.BytesRead);
    }

    /// <summary>The size read must be ImageSharp's, or none: a file it decodes within the limits must never be refused.</summary>
    public static TheoryData<string> Encoded => ["png", "jpeg", "progressive jpeg", "gif on a larger screen", "bmp", "top-down bmp", "lossy webp", "lossless webp", "webp with exif"];

    [Theory]
    [MemberData(nameof(Encoded))]
    public void The_size_read_is_the_one_ImageSharp_identifies(string kind)
    {
        byte[] data = Encode(kind);
        var info = Image.Identify(SupportedFormats.Configuration, data, out var format);
        Assert.Equal((info.Width, info.Height), ImageHeaderSize.Read(new MemoryStream(data), format.Name));
    }

    [Fact]
    public void A_webp_with_exif_is_an_extended_one_whose_canvas_and_image_agree()
    {
        byte[] data = Encode("webp with exif");
        Assert.Equal("VP8X", System.Text.Encoding.ASCII.GetString(data, 12, 4));
        Assert.Equal((37, 23), ImageHeaderSize.Read(new MemoryStream(data), "Webp"));
    }

    [Fact]
    public void A_header_it_cannot_read_is_left_to_the_full_read()
    {
        // A lossless JPEG (SOF3), which ImageSharp 2.1 does not decode: today's UnsupportedFormat, not a size.
        var lossless = Claiming("jpg");
        lossless[Array.IndexOf(lossless, (byte)0xC0, 2)] = 0xC3;
        Assert.Null(ImageHeaderSize.Read(new MemoryStream(lossless), "JPEG"));
        // An animated WebP is refused as one.
        Assert.Null(ImageHeaderSize.Read(new MemoryStream(WebpWithFlags(0x02)), "Webp"));
    }

    private static byte[] Encode(string kind)
    {
        using var image = FixtureImages.Pattern(37, 23, FixtureImages.Colour);
        return kind switch
        {
            "png" => FixtureImages.Encode(image, new PngEncoder()),
            "jpeg" => FixtureImages.Encode(image, new JpegEncoder()),
            "progressive jpeg" => HandMadeJpeg.Encode(5, 3, 3, (c, r) => [(byte)(c * 40), 128, 128], progressive: true),
            "gif on a larger screen" => HandMadeGif.Still(300, 200, 10, 20, 4, new byte[8], HandMadeBmp.Grays(2)),
            "bmp" => FixtureImages.Encode(image, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 }),
            "top-down bmp" => FixtureImages.BmpClaiming(16, -16),
            "lossy webp" => FixtureImages.Encode(image, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy }),
            "lossless webp" => FixtureImages.Encode(image, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }),
            "webp with exif" => FixtureImages.Encode(WithExif(image), new WebpEncoder { FileFormat = WebpFileFormatType.Lossy }),
            _ => throw new ArgumentException(kind),
        };
    }

    private static Image<Rgba32> WithExif(Image<Rgba32> image)
    {
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Software, "a camera");
        return image;
    }

    /// <summary>A real small file of each format whose header claims a size over the default limits.</summary>
    private static byte[] Claiming(string extension) => extension switch
    {
        "png" => FixtureImages.PngClaiming(40000, 40000),
        "jpg" => JpegClaiming(40000, 30000),
        "gif" => HandMadeGif.Still(40000, 40000, 0, 0, 1, [0], HandMadeBmp.Grays(2)),
        "bmp" => FixtureImages.BmpClaiming(40000, 40000),
        "webp" => WebpLosslessClaiming(16000, 16000),
        _ => throw new ArgumentException(extension),
    };

    /// <summary>A camera's JPEG: a 64 KiB EXIF segment and two ICC segments before its frame header, which claims the size.</summary>
    private static byte[] JpegClaiming(int width, int height)
    {
        using var image = FixtureImages.Pattern(16, 16, FixtureImages.Colour);
        var jpeg = FixtureImages.Encode(image, new JpegEncoder());
        int frame = Array.IndexOf(jpeg, (byte)0xC0, 2);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(frame + 4), (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(frame + 6), (ushort)width);
        byte[] segments = [.. Segment(0xE1, 65533), .. Segment(0xE2, 60000), .. Segment(0xE2, 60000)];
        return [.. jpeg[..2], .. segments, .. jpeg[2..]];
    }

    private static byte[] Segment(byte marker, int length)
    {
        var segment = new byte[2 + length];
        segment[0] = 0xFF;
        segment[1] = marker;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)length);
        return segment;
    }

    /// <summary>A lossless WebP's RIFF header and VP8L chunk header: its signature byte, then 14-bit width and height less one.</summary>
    private static byte[] WebpLosslessClaiming(int width, int height)
    {
        var webp = new byte[30];
        "RIFF"u8.CopyTo(webp);
        BinaryPrimitives.WriteUInt32LittleEndian(webp.AsSpan(4), 22);
        "WEBPVP8L"u8.CopyTo(webp.AsSpan(8));
        BinaryPrimitives.WriteUInt32LittleEndian(webp.AsSpan(16), 10);
        webp[20] = 0x2f;
        BinaryPrimitives.WriteUInt32LittleEndian(webp.AsSpan(21), (uint)(width - 1) | (uint)(height - 1) << 14);
        return webp;
    }

    /// <summary>An extended WebP (VP8X) with <paramref name="flags"/>, a 16000x16000 canvas, and the same lossless image after it.</summary>
    private static byte[] WebpWithFlags(byte flags)
    {
        var extended = new byte[30];
        "RIFF"u8.CopyTo(extended);
        "WEBPVP8X"u8.CopyTo(extended.AsSpan(8));
        BinaryPrimitives.WriteUInt32LittleEndian(extended.AsSpan(16), 10);
        extended[20] = flags;
        extended[24] = extended[27] = 0x7f;
        extended[25] = extended[28] = 0x3e; // 15999: the canvas less one, 24-bit
        return [.. extended, .. WebpLosslessClaiming(16000, 16000)[12..]];
    }

    private static byte[] Padded(byte[] header, long length)
    {
        var padded = new byte[length];
        header.CopyTo(padded, 0);
        return padded;
    }

    private static string Padded(string path, byte[] header, long length)
    {
        using var file = new FileStream(path, FileMode.Create);
        file.Write(header);
        file.SetLength(length);
        return path;
    }

    /// <summary>Counts the bytes read through it.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int read = inner.Read(buffer, offset, count);
            BytesRead += read;
            return read;
        }

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
