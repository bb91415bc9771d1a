using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Pbm;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tga;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>Broken, hostile and unsupported files: each is refused with a stable id and a reason naming the file.</summary>
public sealed class ImageLoaderInputTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ImageLoader _loader = new(ImageLimits.Default);

    public void Dispose() => _folder.Dispose();

    private ImageInputException Refused(string name, byte[] bytes, ImageLoader? loader = null)
    {
        string path = _folder.File(name);
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<ImageInputException>(() => (loader ?? _loader).Load(path, scale: 2));
        Assert.Equal(path, error.Path);
        Assert.StartsWith(path + ": ", error.Message);
        return error;
    }

    private static byte[] Valid(Image image, SixLabors.ImageSharp.Formats.IImageEncoder encoder) => FixtureImages.Encode(image, encoder);

    [Fact]
    public void A_zero_byte_file_is_EmptyFile()
    {
        var error = Refused("empty.png", []);
        Assert.Equal("EmptyFile", error.ErrorId);
        Assert.Contains("empty", error.Reason);
    }

    [Fact]
    public void A_truncated_png_is_CorruptImage()
    {
        using var image = FixtureImages.Pattern(64, 48, FixtureImages.Colour);
        var png = Valid(image, new PngEncoder());
        var error = Refused("cut.png", png[..(png.Length / 2)]);
        Assert.Equal("CorruptImage", error.ErrorId);
        Assert.Equal(ImageErrorKind.InvalidData, error.Kind);
    }

    [Theory]
    [InlineData(0.9)]
    [InlineData(0.5)]
    public void A_truncated_jpeg_is_CorruptImage_although_the_decoder_would_fill_it_with_grey(double kept)
    {
        using var image = FixtureImages.Pattern(64, 48, FixtureImages.Colour);
        var jpeg = Valid(image, new JpegEncoder { Quality = 90 });
        var cut = jpeg[..(int)(jpeg.Length * kept)];
        using (var lenient = Image.Load<Rgb24>(cut))
            Assert.Equal(64, lenient.Width);
        var error = Refused("cut.jpg", cut);
        Assert.Equal("CorruptImage", error.ErrorId);
        Assert.Contains("truncated", error.Reason);
    }

    [Fact]
    public void A_truncated_webp_is_CorruptImage()
    {
        using var image = FixtureImages.Pattern(64, 48, FixtureImages.Colour);
        var webp = Valid(image, new WebpEncoder { Quality = 90 });
        var error = Refused("cut.webp", webp[..(webp.Length * 2 / 3)]);
        Assert.Equal("CorruptImage", error.ErrorId);
        Assert.Contains("truncated", error.Reason);
    }

    /// <summary>
    /// Found by the long fuzz run (docs/fuzzing.md): ImageSharp 2.1 allocates whatever a WebP metadata chunk header
    /// claims, so a 400-byte file cost 2 GB and seconds. The container is now checked against the file's length first.
    /// </summary>
    [Fact]
    public void A_webp_chunk_claiming_more_than_the_file_holds_is_refused_without_allocating_it()
    {
        using var image = FixtureImages.Pattern(24, 16, FixtureImages.Colour);
        image.Metadata.ExifProfile = new SixLabors.ImageSharp.Metadata.Profiles.Exif.ExifProfile();
        image.Metadata.ExifProfile.SetValue(SixLabors.ImageSharp.Metadata.Profiles.Exif.ExifTag.Artist, "fuzz");
        var webp = Valid(image, new WebpEncoder { Quality = 75 });
        int exif = webp.AsSpan().IndexOf("EXIF"u8);
        Assert.True(exif > 0, "the encoder wrote no EXIF chunk");
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(webp.AsSpan(exif + 4), 0x7FFF0000);
        string path = _folder.File("claims.webp");
        File.WriteAllBytes(path, webp);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ImageInputException>(() => _loader.Load(path, 2));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4 << 20);
        Assert.Equal("CorruptImage", error.ErrorId);
        Assert.Contains("EXIF chunk runs past the end", error.Reason);
    }

    [Fact]
    public void A_jpeg_with_bytes_after_its_end_marker_still_loads()
    {
        using var image = FixtureImages.Pattern(16, 16, FixtureImages.Colour);
        string path = _folder.File("trailer.jpg");
        File.WriteAllBytes(path, [.. Valid(image, new JpegEncoder()), .. "camera trailer"u8]);
        Assert.Equal(16, _loader.Load(path, 2).Pixels.Width);
    }

    [Fact]
    public void A_text_file_named_jpg_is_UnsupportedFormat()
    {
        var error = Refused("notes.jpg", "quarterly numbers, not a picture\n"u8.ToArray());
        Assert.Equal("UnsupportedFormat", error.ErrorId);
        Assert.Equal(ImageErrorKind.NotSupported, error.Kind);
    }

    [Fact]
    public void Formats_imagesharp_could_decode_but_we_do_not_support_are_refused()
    {
        using var image = FixtureImages.Pattern(16, 16, FixtureImages.Colour);
        foreach (var (name, bytes) in new[] { ("picture.tga", Valid(image, new TgaEncoder())), ("picture.pbm", Valid(image, new PbmEncoder())) })
        {
            // ImageSharp's default configuration knows these formats: only ours refuses them.
            Assert.NotNull(Image.Identify(bytes));
            Assert.Equal("UnsupportedFormat", Refused(name, bytes).ErrorId);
        }
    }

    // BMP headers cannot claim more than 65535 a side (ImageSharp refuses that as damaged), hence 60000 there.
    [Theory]
    [InlineData("bomb.png", 100_000)]
    [InlineData("bomb.bmp", 60_000)]
    public void A_decompression_bomb_is_refused_from_its_header_before_any_large_allocation(string name, int side)
    {
        var bytes = name.EndsWith(".png") ? FixtureImages.PngClaiming(side, side) : FixtureImages.BmpClaiming(side, side);
        Assert.True(bytes.Length < 4096);
        string path = _folder.File(name);
        File.WriteAllBytes(path, bytes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ImageInputException>(() => _loader.Load(path, 2));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("ImageTooLarge", error.ErrorId);
        Assert.Equal(ImageErrorKind.LimitExceeded, error.Kind);
        Assert.Contains($"{side}x{side}", error.Reason);
        Assert.Contains("-MaxInputMegapixels", error.Reason);
        // Billions of pixels would take tens of GB at 8 bytes each; the refusal costs the file and a few buffers.
        Assert.True(allocated < 4 << 20, $"{allocated} bytes were allocated");
    }

    [Fact]
    public void An_output_over_the_output_limit_is_OutputTooLarge()
    {
        using var image = FixtureImages.Pattern(100, 100, FixtureImages.Colour);
        var loader = new ImageLoader(new ImageLimits(MaxInputMegapixels: 1, MaxOutputMegapixels: 0.02));
        var error = Refused("big.png", Valid(image, new PngEncoder()), loader);
        Assert.Equal("OutputTooLarge", error.ErrorId);
        Assert.Contains("-MaxOutputMegapixels", error.Reason);
    }

    [Fact]
    public void A_file_deleted_after_it_was_listed_is_InputNotFound()
    {
        string path = _folder.File("gone.png");
        var error = Assert.Throws<ImageInputException>(() => _loader.Load(path, 2));
        Assert.Equal("InputNotFound", error.ErrorId);
        Assert.Equal(ImageErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public void An_animated_gif_loads_its_first_frame_with_a_warning()
    {
        using var gif = new Image<Rgba32>(8, 8, new Rgba32(255, 0, 0));
        using (var second = new Image<Rgba32>(8, 8, new Rgba32(0, 0, 255)))
            gif.Frames.AddFrame(second.Frames.RootFrame);
        string path = FixtureImages.Save(_folder.File("anim.gif"), gif, new GifEncoder());
        var loaded = _loader.Load(path, 2);
        Assert.Equal(1f, loaded.Pixels[0, 3, 3], 2);
        Assert.Equal(0f, loaded.Pixels[2, 3, 3], 2);
        Assert.Contains("animated GIF", Assert.Single(loaded.Warnings));

        using var still = new Image<Rgba32>(8, 8, new Rgba32(0, 255, 0));
        Assert.Empty(_loader.Load(FixtureImages.Save(_folder.File("still.gif"), still, new GifEncoder()), 2).Warnings);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 5000)]
    [InlineData(5000, 1)]
    public void Extreme_shapes_load(int width, int height)
    {
        using var image = FixtureImages.Pattern(width, height, FixtureImages.Colour);
        string path = FixtureImages.Save(_folder.File("shape.png"), image, new PngEncoder());
        var loaded = _loader.Load(path, 4);
        Assert.Equal((width, height), (loaded.Pixels.Width, loaded.Pixels.Height));
        var expected = FixtureImages.Colour(width - 1, height - 1);
        Assert.Equal(expected.R / 255f, loaded.Pixels[0, height - 1, width - 1], 5);
    }
}
