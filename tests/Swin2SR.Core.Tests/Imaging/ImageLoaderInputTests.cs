using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Pbm;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tga;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using System.Buffers.Binary;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>Broken, hostile and unsupported files: each is refused with a stable id and a reason naming the file.</summary>
public sealed class ImageLoaderInputTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ImageLoader _loader = new(ImageLimits.Default);

    public void Dispose() => _folder.Dispose();

    /// <summary>Writes <paramref name="bytes"/> (null: leaves the path as it is) and loads them, which must fail.</summary>
    private ImageInputException Refused(string name, byte[]? bytes, ImageLoader? loader = null)
    {
        string path = _folder.File(name);
        if (bytes is not null)
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
    public void An_empty_file_says_whether_it_may_still_be_arriving_or_must_be_copied_again()
    {
        // Just made: a copy into the folder has begun, and the run started before its first bytes.
        var arriving = Refused("arriving.jpg", []);
        Assert.EndsWith("s ago: if it is still being copied or downloaded, upscale it again once that is done", arriving.Reason);

        string old = _folder.File("old.jpg");
        File.WriteAllBytes(old, []);
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow - TimeSpan.FromHours(1));
        var failed = Refused("old.jpg", null);
        Assert.Equal("EmptyFile", failed.ErrorId);
        Assert.Equal("the file is empty (0 bytes), as a copy, download or export that failed leaves it: copy or export the image again", failed.Reason);
    }

    [LinuxFact]
    public void A_named_pipe_is_NotAFile_at_once_instead_of_waiting_for_a_writer()
    {
        string path = _folder.File("pipe.png");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]))
            mkfifo.WaitForExit();
        var load = Task.Run(() => _loader.Load(path, scale: 2));
        bool finished = ((IAsyncResult)load).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(10));
        if (!finished)
            using (File.OpenWrite(path)) { } // a writer releases the reader stuck in open(2), so the test host can end
        Assert.True(finished, "the loader is still waiting for something to write to the pipe");
        var error = Assert.IsType<ImageInputException>(load.Exception?.InnerException);
        Assert.Equal("NotAFile", error.ErrorId);
        Assert.Equal(ImageErrorKind.NotSupported, error.Kind);
        Assert.Equal($"{path}: it is a named pipe (FIFO), not a regular file: only image files can be upscaled", error.Message);
    }

    [LinuxFact]
    public void A_file_whose_name_is_not_utf8_is_InputNotFound_and_says_to_rename_it()
    {
        // "café.png" in Latin-1, as an old archive or a Windows share mounted without iocharset writes it: .NET
        // cannot create such a name, libc can.
        byte[] latin1 = [.. System.Text.Encoding.UTF8.GetBytes(_folder.Path + "/caf"), 0xE9, .. ".png"u8, 0];
        int file = Libc.creat(latin1, 0x1A4);
        Assert.True(file >= 0, "the Latin-1 name was created");
        Libc.close(file);
        string listed = Assert.Single(Directory.GetFiles(_folder.Path));
        Assert.EndsWith("caf\uFFFD.png", listed);

        var error = Assert.Throws<ImageInputException>(() => _loader.Load(listed, 2));

        Assert.Equal("InputNotFound", error.ErrorId);
        Assert.StartsWith("its name is not valid UTF-8", error.Reason);
        Assert.Contains("rename it to UTF-8", error.Reason);
    }

    private static class Libc
    {
        [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
        public static extern int creat(byte[] path, int mode);

        [System.Runtime.InteropServices.DllImport("libc")]
        public static extern int close(int fd);
    }

    [LinuxFact]
    public void A_device_and_a_folder_are_NotAFile_and_a_link_to_an_image_is_the_image()
    {
        Assert.Contains("a character device", Assert.Throws<ImageInputException>(() => _loader.Load("/dev/zero", 2)).Reason);
        Assert.Equal("NotAFile", Assert.Throws<ImageInputException>(() => _loader.Load(_folder.Path, 2)).ErrorId);
        using var image = FixtureImages.Pattern(12, 8, FixtureImages.Colour);
        string target = _folder.File("photo.png");
        File.WriteAllBytes(target, Valid(image, new PngEncoder()));
        string link = _folder.File("link.png");
        File.CreateSymbolicLink(link, target);
        Assert.Equal(12, _loader.Load(link, 2).Pixels.Width);
    }

    [LinuxFact]
    public void A_link_whose_target_is_gone_is_InputNotFound_and_says_it_is_a_link()
    {
        string target = _folder.File("moved-away.png");
        string link = _folder.File("link.png");
        File.CreateSymbolicLink(link, target);
        var error = Refused("link.png", null);
        Assert.Equal("InputNotFound", error.ErrorId);
        Assert.Equal(ImageErrorKind.NotFound, error.Kind);
        Assert.Equal($"it is a symbolic link to '{target}', which does not exist", error.Reason);
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

    /// <summary>
    /// A PNG cut short, with its image data in 8 KiB chunks as libpng writes it. ImageSharp leaves the rows it never
    /// received transparent (the run reported such files as successes), and on a cut interlaced PNG it never returns.
    /// </summary>
    /// <summary>
    /// Image data whose zlib header asks for a preset dictionary, which PNG never uses (found by the fuzzer): .NET's
    /// inflater throws ZLibException for it, not InvalidDataException, and it escaped the loader's check of the image
    /// data; a run reported the image as InputUnreadable with the exception's type instead of why.
    /// </summary>
    [Fact]
    public void A_png_whose_image_data_asks_for_a_preset_dictionary_is_CorruptImage()
    {
        using var image = FixtureImages.Pattern(16, 16, FixtureImages.Colour);
        var png = FixtureImages.Encode(image, new PngEncoder());
        var (start, length) = PngChunks.Find(png, "IDAT")!.Value.GetOffsetAndLength(png.Length);
        // 0x78 0x7D: a 32 KiB window, the dictionary flag set, and the header's check still right.
        (png[start], png[start + 1]) = (0x78, 0x7D);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(start + length), FixtureImages.PngCrc(png.AsSpan(start - 4, length + 4)));

        var error = Refused("dictionary.png", png);

        Assert.Equal("CorruptImage", error.ErrorId);
        Assert.StartsWith("its image data does not inflate (damaged compressed data)", error.Reason);
    }

    [Theory]
    [InlineData(0.3, PngInterlaceMode.None)]
    [InlineData(0.9, PngInterlaceMode.None)]
    [InlineData(0.99, PngInterlaceMode.None)]
    [InlineData(0.5, PngInterlaceMode.Adam7)]
    public void A_png_cut_short_is_CorruptImage_before_the_decoder_sees_it(double kept, PngInterlaceMode interlace)
    {
        using var image = FixtureImages.Pattern(301, 203, Busy);
        var png = FixtureImages.WithImageDataSplit(Valid(image, new PngEncoder { InterlaceMethod = interlace }), 8192);
        var cut = png[..(int)(png.Length * kept)];
        if (interlace == PngInterlaceMode.None)
        {
            using var lenient = Image.Load<Rgba32>(cut);
            Assert.Equal(0, lenient[300, 202].A);
        }
        string path = _folder.File("cut.png");
        File.WriteAllBytes(path, cut);
        var load = Task.Run(() => _loader.Load(path, 2));
        Assert.True(((IAsyncResult)load).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(10)), "the decoder is still reading the cut file");
        var error = Assert.IsType<ImageInputException>(load.Exception?.InnerException);
        Assert.Equal("CorruptImage", error.ErrorId);
        Assert.Contains("cut short", error.Reason);
    }

    /// <summary>A pattern that deflates to about the same bytes per row all the way down.</summary>
    private static Rgb24 Busy(int x, int y) => new((byte)(x * y * 7 ^ x * 13), (byte)(x * x + y * 31), (byte)(y * y ^ x * 3));

    /// <summary>
    /// Cut inside an IDAT chunk, a file was said to hold only the share of the image in the whole chunks before it:
    /// 0% for Pillow's PNGs, which have one; here about 70% for 95% of an ImageSharp PNG.
    /// </summary>
    [Fact]
    public void A_png_cut_inside_its_one_image_data_chunk_says_how_much_of_the_image_it_holds()
    {
        using var image = FixtureImages.Pattern(301, 203, Busy);
        var png = Valid(image, new PngEncoder());
        string path = _folder.File("cut.png");
        File.WriteAllBytes(path, png[..(int)(png.Length * 0.95)]);
        var error = Assert.Throws<ImageInputException>(() => _loader.Load(path, 2));
        var share = System.Text.RegularExpressions.Regex.Match(error.Reason, @"ends after (\d+)% of the image");
        Assert.True(share.Success, error.Reason);
        Assert.InRange(int.Parse(share.Groups[1].Value), 85, 99);
    }

    [Fact]
    public void A_file_cut_short_that_was_written_moments_ago_may_still_be_arriving_and_is_said_so()
    {
        using var image = FixtureImages.Pattern(40, 30, Busy);
        var png = Valid(image, new PngEncoder());
        var arriving = Refused("arriving.png", png[..(png.Length / 2)]);
        Assert.EndsWith("s ago: if it is still being copied or downloaded, upscale it again once that is done", arriving.Reason);

        string old = _folder.File("old.png");
        File.WriteAllBytes(old, png[..(png.Length / 2)]);
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow - TimeSpan.FromHours(1));
        var damaged = Refused("old.png", null);
        Assert.Equal("CorruptImage", damaged.ErrorId);
        Assert.EndsWith("(the file was cut short)", damaged.Reason);
    }

    /// <summary>The size the image data must inflate to follows the header: a whole file of any layout is not refused.</summary>
    [Theory]
    [InlineData(PngColorType.Grayscale, PngBitDepth.Bit1)]
    [InlineData(PngColorType.Grayscale, PngBitDepth.Bit2)]
    [InlineData(PngColorType.Grayscale, PngBitDepth.Bit4)]
    [InlineData(PngColorType.Grayscale, PngBitDepth.Bit16)]
    [InlineData(PngColorType.Palette, PngBitDepth.Bit4)]
    [InlineData(PngColorType.Palette, PngBitDepth.Bit8)]
    [InlineData(PngColorType.GrayscaleWithAlpha, PngBitDepth.Bit8)]
    [InlineData(PngColorType.Rgb, PngBitDepth.Bit16)]
    [InlineData(PngColorType.RgbWithAlpha, PngBitDepth.Bit8)]
    [InlineData(PngColorType.RgbWithAlpha, PngBitDepth.Bit16)]
    public void A_whole_png_of_every_layout_loads_even_without_its_closing_chunk(PngColorType colour, PngBitDepth depth)
    {
        using var image = FixtureImages.Pattern(13, 7, FixtureImages.Colour);
        foreach (var interlace in new[] { PngInterlaceMode.None, PngInterlaceMode.Adam7 })
        {
            var png = Valid(image, new PngEncoder { ColorType = colour, BitDepth = depth, InterlaceMethod = interlace });
            foreach (var bytes in new[] { png, png[..^12] })
            {
                string path = _folder.File($"whole-{colour}-{depth}-{interlace}.png");
                File.WriteAllBytes(path, bytes);
                var pixels = _loader.Load(path, 2).Pixels;
                Assert.Equal((13, 7), (pixels.Width, pixels.Height));
            }
        }
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
    public void A_large_file_that_is_no_image_is_refused_from_its_first_bytes_without_reading_the_rest()
    {
        // A 200 MB archive named .jpg, sparse so that it costs no disk: the whole of it was read into memory first.
        string path = _folder.File("holiday.jpg");
        using (var file = File.Create(path))
        {
            file.Write("PK\x03\x04"u8);
            file.SetLength(200_000_000);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Refused("holiday.jpg", null);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("UnsupportedFormat", error.ErrorId);
        Assert.True(allocated < 16_000_000, $"{allocated} bytes allocated to refuse it");
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

    /// <summary>At one decimal a 179x179 image read "0 megapixels, over the limit of 0", and 0.064 "over the limit of 0.1".</summary>
    [Fact]
    public void Limits_below_a_megapixel_are_named_with_their_own_digits()
    {
        using var image = new Image<Rgb24>(179, 179);
        var small = new ImageLoader(new ImageLimits(MaxInputMegapixels: 0.01, MaxOutputMegapixels: 0.05));
        Assert.Equal("179x179 is 0.032 megapixels, over the limit of 0.01 (-MaxInputMegapixels)", Refused("a.png", Valid(image, new PngEncoder()), small).Reason);
        using var smaller = new Image<Rgb24>(100, 160);
        var roomy = new ImageLoader(new ImageLimits(MaxInputMegapixels: 1, MaxOutputMegapixels: 0.05));
        Assert.Equal("the x2 output would be 0.064 megapixels, over the limit of 0.05 (-MaxOutputMegapixels)", Refused("b.png", Valid(smaller, new PngEncoder()), roomy).Reason);
    }

    /// <summary>10001x10000 read "100 megapixels, over the limit of 100": a value just over its limit shows the digits that make it so.</summary>
    [Fact]
    public void A_size_just_over_the_limit_is_named_with_the_digits_that_exceed_it()
    {
        using var image = new Image<Rgb24>(1001, 1000);
        var limited = new ImageLoader(new ImageLimits(MaxInputMegapixels: 1, MaxOutputMegapixels: 400));
        Assert.Equal("1001x1000 is 1.001 megapixels, over the limit of 1 (-MaxInputMegapixels)", Refused("a.png", Valid(image, new PngEncoder()), limited).Reason);
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
    public void An_output_that_needs_more_memory_than_the_process_has_is_OutputTooLarge_before_decoding()
    {
        // 1000x1000 x2: 1e6 pixels in at 20 bytes and 4e6 out at 24, 116e6 bytes (111 MiB); 90% of 64 MiB is 58 MiB.
        var loader = new ImageLoader(ImageLimits.Default with { MemoryBytes = 64 << 20 });
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Refused("poster.png", FixtureImages.PngClaiming(1000, 1000), loader);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4 << 20);
        Assert.Equal("OutputTooLarge", error.ErrorId);
        Assert.Equal(ImageErrorKind.LimitExceeded, error.Kind);
        Assert.Equal("upscaling it x2 to 4 megapixels needs about 111 MB of memory, more than the 58 MB this process can give one image"
            + " (90% of 64 MB): run it on a machine with more memory, or with a smaller -Scale", error.Reason);
        using var poster = new Image<Rgb24>(1000, 1000);
        Assert.Equal(1000, new ImageLoader(ImageLimits.Default with { MemoryBytes = 1L << 30 }).Identify(Valid(poster, new PngEncoder()), "poster.png", 2).Width);
    }

    [Fact]
    public void An_output_larger_than_one_array_can_hold_is_OutputTooLarge_whatever_the_limits_allow()
    {
        // 14000x14000 x2 = 784 megapixels: three floats a pixel is more than a .NET array holds.
        var loader = new ImageLoader(new ImageLimits(MaxInputMegapixels: 1000, MaxOutputMegapixels: 100_000) { MemoryBytes = long.MaxValue / 64 });
        var error = Refused("mural.png", FixtureImages.PngClaiming(14000, 14000), loader);
        Assert.Equal("OutputTooLarge", error.ErrorId);
        Assert.StartsWith("the x2 output would be 784 megapixels, more than one image can hold in memory (715.8 megapixels", error.Reason);
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

    /// <summary>
    /// A TIFF of <paramref name="pages"/> pages: ImageSharp 2.1 writes one, so its directory (IFD) is copied to the
    /// end again and again, each copy chained to the one before (they share the first page's pixels).
    /// </summary>
    private static byte[] MultiPageTiff(Image image, int pages) => MultiPageTiff(Valid(image, new TiffEncoder()), pages);

    private static byte[] MultiPageTiff(byte[] tiff, int pages)
    {
        var file = new List<byte>(tiff);
        var bytes = file.ToArray();
        int first = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4));
        int length = 2 + 12 * BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(first));
        var directory = bytes.AsSpan(first, length).ToArray();
        int link = first + length;
        for (int page = 1; page < pages; page++)
        {
            int copy = file.Count + (file.Count & 1);
            while (file.Count < copy)
                file.Add(0);
            var chain = file.ToArray();
            BinaryPrimitives.WriteUInt32LittleEndian(chain.AsSpan(link), (uint)copy);
            file = [.. chain, .. directory, 0, 0, 0, 0];
            link = copy + length;
        }
        return [.. file];
    }

    [Fact]
    public void A_multi_page_tiff_loads_its_first_page_with_a_warning_that_counts_the_pages()
    {
        using var image = FixtureImages.Pattern(6, 4, FixtureImages.Colour);
        string path = _folder.File("scan.tif");
        File.WriteAllBytes(path, MultiPageTiff(image, 3));
        var loaded = _loader.Load(path, 2);
        Assert.Equal((6, 4), (loaded.Pixels.Width, loaded.Pixels.Height));
        Assert.Equal(FixtureImages.Colour(5, 3).G / 255f, loaded.Pixels[1, 3, 5], 5);
        Assert.Equal("it is a TIFF of 3 pages: only its first page is upscaled", Assert.Single(loaded.Warnings));

        File.WriteAllBytes(path, MultiPageTiff(image, 1));
        Assert.Empty(_loader.Load(path, 2).Warnings);
    }

    [Theory]
    [InlineData("photo.heic", "\0\0\0\u0018ftypheic\0\0\0\0mif1heic", "HEIC/HEIF")]
    [InlineData("photo.avif", "\0\0\0\u001cftypavif\0\0\0\0avifmif1miaf", "AVIF")]
    [InlineData("photo.jxl", "\xff\x0a\xfa\x7f\x01\x90", "JPEG XL")]
    [InlineData("layers.psd", "8BPS\0\x01\0\0\0\0\0\0", "Photoshop")]
    [InlineData("scan.pdf", "%PDF-1.7\n%\xe2\xe3", "PDF")]
    [InlineData("logo.svg", "\n<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "SVG")]
    [InlineData("photo.jpg", "\n<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head></html>", "web page (HTML)")]
    [InlineData("photo.png", "<HTML><BODY>Please log in</BODY></HTML>", "web page (HTML)")]
    [InlineData("texture.png", "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a\nsize 12345\n", "git lfs pull")]
    [InlineData("notes.png", "hello", "PNG, JPEG, WebP, BMP, TIFF or GIF expected")]
    // The files kept beside photos, which a Get-ChildItem -File listing hands in with them: told by their names.
    [InlineData("Thumbs.db", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Windows' cache of the folder's thumbnails")]
    [InlineData("desktop.ini", "[.ShellClassInfo]\r\n", "Windows' settings of the folder")]
    [InlineData("IMG_0001.xmp", "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"/>", "an XMP sidecar")]
    [InlineData("IMG_0001.JPG.json", "{\"title\": \"IMG_0001.JPG\"}", "Google Takeout")]
    [InlineData("IMG_0001.AAE", "<?xml version=\"1.0\"?><plist/>", "an iPhone's sidecar")]
    public void A_kind_of_file_people_often_bring_is_named_in_the_UnsupportedFormat_reason(string name, string content, string named)
    {
        var error = Refused(name, content.Select(c => (byte)c).ToArray());
        Assert.Equal("UnsupportedFormat", error.ErrorId);
        Assert.Contains(named, error.Reason);
    }

    /// <summary>A name Windows gives no file (the colon opens a stream there): it is one on Linux, copied out of Windows into WSL.</summary>
    [LinuxFact]
    public void A_zone_identifier_copied_out_of_windows_is_named_and_told_how_to_leave_out()
    {
        var error = Refused("photo.jpg:Zone.Identifier", "[ZoneTransfer]\r\nZoneId=3\r\n"u8.ToArray());
        Assert.Equal("UnsupportedFormat", error.ErrorId);
        Assert.StartsWith("it is the note Windows keeps of where a file was downloaded from, copied out as a file of its own", error.Reason);
        Assert.EndsWith("not an image; leave such files out: give the folder itself, which stands for the images in it, " +
            "or list only images (Get-ChildItem -Recurse -Include *.jpg, *.jpeg, *.png, *.webp, *.tif, *.tiff)", error.Reason);
    }

    [Theory]
    [InlineData("IMG_0001.CR2")]
    [InlineData("DSC_0001.nef")]
    [InlineData("photo.dng")]
    public void A_camera_raw_file_is_refused_although_a_tiff_decoder_would_read_its_preview(string name)
    {
        using var image = FixtureImages.Pattern(6, 4, FixtureImages.Colour);
        var error = Refused(name, Valid(image, new TiffEncoder()));
        Assert.Equal("UnsupportedFormat", error.ErrorId);
        Assert.Contains("camera raw", error.Reason);
    }

    /// <summary>A PNG with one more chunk, of <paramref name="type"/> and <paramref name="data"/>, right after IHDR.</summary>
    private static byte[] WithChunk(byte[] png, string type, byte[] data)
    {
        byte[] typeAndData = [.. System.Text.Encoding.ASCII.GetBytes(type), .. data];
        var chunk = new byte[4 + typeAndData.Length + 4];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        typeAndData.CopyTo(chunk, 4);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(4 + typeAndData.Length), Crc32.Compute(typeAndData));
        return [.. png[..PngIccProfile.AfterHeader], .. chunk, .. png[PngIccProfile.AfterHeader..]];
    }

    private static byte[] Deflated(int zeros)
    {
        using var stream = new MemoryStream();
        using (var deflater = new System.IO.Compression.ZLibStream(stream, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var block = new byte[1 << 20];
            for (int left = zeros; left > 0; left -= block.Length)
                deflater.Write(block, 0, Math.Min(block.Length, left));
        }
        return stream.ToArray();
    }

    [Theory]
    [InlineData("zTXt")]
    [InlineData("iTXt")]
    public void A_png_whose_compressed_text_inflates_to_a_bomb_is_refused_before_decoding(string type)
    {
        using var image = FixtureImages.Pattern(8, 8, FixtureImages.Colour);
        var png = Valid(image, new PngEncoder());
        // 64 MB of zeros in about 64 KB: four times the limit, in a file of the size of a small photo.
        byte[] header = type == "zTXt" ? [.. "Comment"u8, 0, 0] : [.. "XML:com.adobe.xmp"u8, 0, 1, 0, 0, 0];
        var bomb = WithChunk(png, type, [.. header, .. Deflated(64 << 20)]);
        Assert.InRange(bomb.Length, 1, 256 << 10);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Refused("bomb.png", bomb);
        Assert.Equal("CorruptImage", error.ErrorId);
        Assert.Contains("decompression bomb", error.Reason);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 8 << 20);

        // Real metadata, compressed too, is read as before.
        var small = WithChunk(png, type, [.. header, .. Deflated(64 << 10)]);
        string path = _folder.File("small.png");
        File.WriteAllBytes(path, small);
        Assert.Equal((8, 8), (_loader.Load(path, 2).Pixels.Width, _loader.Load(path, 2).Pixels.Height));
    }

    [Fact]
    public void A_damaged_exif_profile_is_dropped_with_a_warning_and_the_image_decodes()
    {
        using var image = FixtureImages.Pattern(6, 4, FixtureImages.Colour);
        image.Metadata.ExifProfile = new SixLabors.ImageSharp.Metadata.Profiles.Exif.ExifProfile();
        image.Metadata.ExifProfile.SetValue(SixLabors.ImageSharp.Metadata.Profiles.Exif.ExifTag.Orientation, (ushort)6);
        image.Metadata.ExifProfile.SetValue(SixLabors.ImageSharp.Metadata.Profiles.Exif.ExifTag.Artist, new string('a', 40));
        var jpeg = Valid(image, new JpegEncoder());
        // The Artist entry (tag 0x013B, ASCII, little-endian TIFF) claims 4 billion characters at offset 16 MB, as a
        // fuzzed file did: ImageSharp throws ArgumentOutOfRangeException on the first value read, wherever that is.
        int entry = jpeg.AsSpan().IndexOf((ReadOnlySpan<byte>)[0x3B, 0x01, 0x02, 0x00]);
        Assert.True(entry > 0);
        BinaryPrimitives.WriteUInt32LittleEndian(jpeg.AsSpan(entry + 4), 0xFF000005);
        BinaryPrimitives.WriteUInt32LittleEndian(jpeg.AsSpan(entry + 8), 0xFFFFFF);
        string path = _folder.File("damaged-exif.jpg");
        File.WriteAllBytes(path, jpeg);

        var header = _loader.Identify(path, 2);
        var loaded = _loader.Load(path, 2);

        // Without the profile there is no orientation 6: the image stays 6x4, as identified.
        Assert.Equal((6, 4), (header.Width, header.Height));
        Assert.Equal((6, 4), (loaded.Pixels.Width, loaded.Pixels.Height));
        Assert.Null(loaded.Metadata!.ExifProfile);
        Assert.Equal(DamagedExif.Warning, Assert.Single(loaded.Warnings));
    }

    /// <summary>Where the entry for <paramref name="tag"/> starts in the first directory of a little-endian classic TIFF.</summary>
    private static int FirstPageEntry(byte[] tiff, ushort tag)
    {
        int directory = (int)BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan(4));
        return Enumerable.Range(0, BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(directory))).Select(i => directory + 2 + 12 * i)
            .Single(entry => BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(entry)) == tag);
    }

    [Fact]
    public void A_cmyk_tiff_is_UnsupportedFormat_not_CorruptImage()
    {
        using var image = FixtureImages.Pattern(6, 4, FixtureImages.Colour);
        var bytes = Valid(image, new TiffEncoder());
        // PhotometricInterpretation (tag 262) set to 5, Separated: CMYK, which ImageSharp 2.1 does not decode.
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(FirstPageEntry(bytes, 262) + 8), 5);
        var error = Refused("cmyk.tif", bytes);
        Assert.Equal("UnsupportedFormat", error.ErrorId);
        Assert.Equal(ImageErrorKind.NotSupported, error.Kind);
        Assert.Contains("cannot be decoded", error.Reason);
        Assert.Contains("convert it to RGB, which keeps it a TIFF", error.Reason);
    }

    [Theory]
    [InlineData(1, 0)] // NewSubfileType: a reduced-resolution image, as a scanner's thumbnail is marked
    [InlineData(2, 1)] // NewSubfileType: a page of a document
    [InlineData(0, 1)]
    public void A_tiffs_thumbnail_after_its_page_is_no_page_left_out(ushort subfileType, int warnings)
    {
        using var image = FixtureImages.Pattern(6, 4, FixtureImages.Colour);
        // Both directories get a NewSubfileType entry (tag 254) of the type given; then the first page's is made 0, a page.
        var bytes = MultiPageTiff(TiffStructure.WithFirstPageShort(Valid(image, new TiffEncoder()), 254, subfileType)!, 2);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(FirstPageEntry(bytes, 254) + 8), 0);
        string path = _folder.File("scan.tif");
        File.WriteAllBytes(path, bytes);
        Assert.Equal(warnings, _loader.Load(path, 2).Warnings.Count);
    }

    [Fact]
    public void A_tiled_tiff_is_UnsupportedFormat_advising_to_re_save_it_in_strips()
    {
        using var image = FixtureImages.Pattern(6, 4, FixtureImages.Colour);
        // A TileOffsets entry (tag 324, one LONG) is what the decoder refuses a tiled page by.
        var bytes = TiffStructure.WithFirstPageShort(Valid(image, new TiffEncoder()), 324, 8)!;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(FirstPageEntry(bytes, 324) + 2), 4);
        var error = Refused("tiled.tif", bytes);
        Assert.Equal("UnsupportedFormat", error.ErrorId);
        Assert.Contains("Tiled images are not supported", error.Reason);
        Assert.Contains("re-save it in strips (for example: tiffcp -s in.tif out.tif)", error.Reason);
    }

    [Fact]
    public void A_tiff_whose_pages_chain_in_a_loop_is_counted_once_per_page_and_refused_as_CorruptImage()
    {
        using var image = FixtureImages.Pattern(6, 4, FixtureImages.Colour);
        var bytes = MultiPageTiff(image, 2);
        // The second page's "next" points back to the first.
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(2, TiffStructure.Count(bytes));
        Assert.Equal("CorruptImage", Refused("loop.tif", bytes).ErrorId);
    }

    /// <summary>A little-endian BigTIFF whose directories, at bytes 16, 64, ..., hold one ImageWidth entry each, the last claiming <paramref name="lastCount"/> entries.</summary>
    private static byte[] BigTiff(int directories, ulong lastCount)
    {
        var bytes = new byte[16 + 48 * directories];
        "II"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), 43);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), 8);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), 16);
        for (int i = 0; i < directories; i++)
        {
            var ifd = bytes.AsSpan(16 + 48 * i);
            BinaryPrimitives.WriteUInt64LittleEndian(ifd, i == directories - 1 ? lastCount : 1);
            BinaryPrimitives.WriteUInt16LittleEndian(ifd[8..], 256);   // ImageWidth
            BinaryPrimitives.WriteUInt16LittleEndian(ifd[10..], 4);    // LONG
            BinaryPrimitives.WriteUInt64LittleEndian(ifd[12..], 1);
            BinaryPrimitives.WriteUInt64LittleEndian(ifd[20..], 16);
            BinaryPrimitives.WriteUInt64LittleEndian(ifd[28..], i == directories - 1 ? 0UL : (ulong)(16 + 48 * (i + 1)));
        }
        return bytes;
    }

    [Fact]
    public void A_bigtiff_directory_claiming_more_entries_than_the_file_holds_is_CorruptImage_at_once()
    {
        var bytes = BigTiff(2, lastCount: 1UL << 40);
        string path = _folder.File("endless.tif");
        File.WriteAllBytes(path, bytes);
        var load = Task.Run(() => _loader.Load(path, 2));
        Assert.True(((IAsyncResult)load).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(10)), "the decoder is still reading the directory's entries");
        var error = Assert.IsType<ImageInputException>(load.Exception?.InnerException);
        Assert.Equal("CorruptImage", error.ErrorId);
        Assert.Equal("the BigTIFF directory at byte 64 claims 1099511627776 entries, more than the 112-byte file holds", error.Reason);
        Assert.Equal(2, TiffStructure.Count(bytes));
        Assert.Equal(3, TiffStructure.Count(BigTiff(3, lastCount: 1)));
    }

    [Fact]
    public void An_animated_png_loads_its_first_frame_with_a_warning()
    {
        using var image = FixtureImages.Pattern(6, 4, FixtureImages.Colour);
        var png = Valid(image, new PngEncoder());
        // acTL (2 frames, looping forever) right after IHDR, as APNG writers put it; ImageSharp shows the still image.
        string path = _folder.File("anim.png");
        File.WriteAllBytes(path, WithChunk(png, "acTL", [0, 0, 0, 2, 0, 0, 0, 0]));
        var loaded = _loader.Load(path, 2);
        Assert.Equal(FixtureImages.Colour(2, 1).B / 255f, loaded.Pixels[2, 1, 2], 5);
        Assert.Equal("it is an animated PNG: only its first frame is upscaled", Assert.Single(loaded.Warnings));
        Assert.Empty(_loader.Load(FixtureImages.Save(_folder.File("still.png"), image, new PngEncoder()), 2).Warnings);
    }

    [Fact]
    public void An_animated_webp_is_UnsupportedFormat_not_CorruptImage()
    {
        using var image = FixtureImages.Pattern(6, 4, FixtureImages.Colour);
        var webp = Valid(image, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });
        // An ANIM chunk (background colour, loop count) after the image: what makes ImageSharp 2.1 give up.
        byte[] anim = [.. "ANIM"u8, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        var file = (byte[])[.. webp, .. anim];
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)(file.Length - 8));
        var error = Refused("anim.webp", file);
        Assert.Equal("UnsupportedFormat", error.ErrorId);
        Assert.Equal(ImageErrorKind.NotSupported, error.Kind);
        Assert.Contains("animated WebP", error.Reason);
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
