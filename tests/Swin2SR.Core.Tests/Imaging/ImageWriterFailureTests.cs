using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>Outputs that cannot be written: each a clear error with a stable id, and nothing left behind.</summary>
public sealed class ImageWriterFailureTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ImageWriter _writer = new(95);

    public void Dispose() => _folder.Dispose();

    private static UpscaledImage Noise(int side)
    {
        var random = new Random(side);
        var planes = new PlanarImage(side, side);
        for (int i = 0; i < planes.Data.Length; i++)
            planes.Data[i] = random.NextSingle();
        return new UpscaledImage(planes, null, new ImageTraits("PNG", 8, false, false), null);
    }

    [TmpfsFact]
    public void A_read_only_folder_is_OutputNotWritable()
    {
        using var readOnly = TmpfsFolder.Mount(1 << 20, readOnly: true);
        string output = Path.Combine(readOnly.Path, "sub", "out.png");
        var error = Assert.Throws<ImageInputException>(() => _writer.Write(Noise(8), "PNG", output, CancellationToken.None));
        Assert.Equal("OutputNotWritable", error.ErrorId);
        Assert.Equal(ImageErrorKind.WriteFailed, error.Kind);
        Assert.Contains(output, error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(readOnly.Path));
    }

    [TmpfsFact]
    public void A_full_disk_is_DiskFull_and_leaves_no_partial_file()
    {
        using var small = TmpfsFolder.Mount(64 * 1024);
        string output = Path.Combine(small.Path, "big.png");
        // 512x512 of noise does not compress: about 780 KB against 64 KB of space.
        var error = Assert.Throws<ImageInputException>(() => _writer.Write(Noise(512), "PNG", output, CancellationToken.None));
        Assert.Equal("DiskFull", error.ErrorId);
        Assert.Contains("no space", error.Reason);
        Assert.Empty(Directory.EnumerateFileSystemEntries(small.Path));
        // The disk is usable again for an output that fits.
        _writer.Write(Noise(8), "PNG", Path.Combine(small.Path, "small.png"), CancellationToken.None);
        Assert.True(File.Exists(Path.Combine(small.Path, "small.png")));
    }

    [Fact]
    public void An_output_path_over_the_platform_limit_is_OutputPathTooLong()
    {
        string longName = _folder.File(new string('n', PathLimits.MaxNameLength + 1), "out.png");
        var error = Assert.Throws<ImageInputException>(() => _writer.Write(Noise(4), "PNG", longName, CancellationToken.None));
        Assert.Equal("OutputPathTooLong", error.ErrorId);

        string deep = _folder.File([.. Enumerable.Repeat(new string('d', 200), PathLimits.MaxPathLength / 200 + 1), "out.png"]);
        Assert.Equal("OutputPathTooLong", Assert.Throws<ImageInputException>(() => ImageWriter.CheckPath(deep)).ErrorId);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder.Path));
    }

    [Fact]
    public void An_output_path_too_long_says_what_to_shorten()
    {
        string name = new string('n', PathLimits.MaxNameLength - 3) + ".webp";
        string reason = Assert.Throws<ImageInputException>(() => ImageWriter.CheckPath(_folder.File(name))).Reason;
        Assert.StartsWith("the output's name 'nnn", reason);
        Assert.EndsWith(" 257 long, over this platform's limit of 255 for one name: give the input a shorter name (the output's is the input's with its format's extension)",
            reason.Replace(" bytes", "").Replace(" characters", ""));
        string folder = _folder.File(new string('d', PathLimits.MaxNameLength + 1), "out.png");
        Assert.EndsWith("for one name: choose another -OutputDirectory", Assert.Throws<ImageInputException>(() => ImageWriter.CheckPath(folder)).Reason);
        string deep = _folder.File([.. Enumerable.Repeat(new string('d', 200), PathLimits.MaxPathLength / 200 + 1), "out.png"]);
        Assert.EndsWith(": choose a shorter -OutputDirectory, or move the images to a folder with a shorter path",
            Assert.Throws<ImageInputException>(() => ImageWriter.CheckPath(deep)).Reason);
    }

    [Fact]
    public void A_file_that_appeared_at_an_output_not_to_be_replaced_is_kept_and_the_write_is_OutputCollision()
    {
        string output = _folder.File("photo.png");
        _writer.Write(Noise(4), "PNG", output, CancellationToken.None, replaceExisting: false);
        var first = File.ReadAllBytes(output);

        var error = Assert.Throws<ImageInputException>(() => _writer.Write(Noise(6), "PNG", output, CancellationToken.None, replaceExisting: false));
        Assert.Equal("OutputCollision", error.ErrorId);
        Assert.Equal(ImageErrorKind.WriteFailed, error.Kind);
        Assert.Contains("-Format Same", error.Reason);
        Assert.Equal(first, File.ReadAllBytes(output));
        Assert.Equal(["photo.png"], Directory.EnumerateFileSystemEntries(_folder.Path).Select(Path.GetFileName));

        _writer.Write(Noise(6), "PNG", output, CancellationToken.None);
        Assert.NotEqual(first, File.ReadAllBytes(output));
    }

    [Theory]
    [InlineData("Webp", 16383)]
    [InlineData("JPEG", 65535)]
    public void A_format_refuses_a_side_longer_than_its_header_can_state_and_png_takes_it(string format, int maxSide)
    {
        ImageWriter.CheckSize(format, maxSide, 2, "in.png");
        var error = Assert.Throws<ImageInputException>(() => ImageWriter.CheckSize(format, 2, maxSide + 1, "in.png"));
        Assert.Equal("OutputTooLarge", error.ErrorId);
        Assert.Contains($"2x{maxSide + 1}", error.Reason);
        ImageWriter.CheckSize("PNG", 2, maxSide + 1, "in.png");
    }

    /// <summary>
    /// A 16-bit RGB output of 30000x24000 is 4.32 GB of pixels, past what a TIFF's 32-bit offsets reach: refused before
    /// it is upscaled, naming the input, instead of failing as it is written; its 8-bit copy (2.16 GB), a gray one
    /// and a PNG are not.
    /// </summary>
    [Fact]
    public void A_tiff_output_whose_pixels_pass_4_GB_is_refused_before_it_is_upscaled_and_png_takes_it()
    {
        var deep = new ImageTraits("TIFF", 16, IsGray: false, HasAlpha: false);
        var error = Assert.Throws<ImageInputException>(() => ImageWriter.CheckTiffSize("TIFF", deep, 30000, 24000, "/scans/master.tif"));
        Assert.Equal(("OutputTooLarge", ImageErrorKind.LimitExceeded, "/scans/master.tif"), (error.ErrorId, error.Kind, error.Path));
        Assert.StartsWith("/scans/master.tif: the TIFF output would be 30000x24000 of 6 bytes a pixel, 4.32 GB uncompressed, more than the 4.29 GB a TIFF file can hold", error.Message);
        Assert.EndsWith("use -Format Png for this image", error.Reason);
        ImageWriter.CheckTiffSize("TIFF", deep with { BitDepth = 8 }, 30000, 24000, "/scans/master.tif");
        ImageWriter.CheckTiffSize("TIFF", deep with { IsGray = true }, 30000, 24000, "/scans/master.tif");
        ImageWriter.CheckTiffSize("PNG", deep, 30000, 24000, "/scans/master.tif");
        // With alpha, 8 bytes a pixel: a smaller output passes it.
        Assert.Throws<ImageInputException>(() => ImageWriter.CheckTiffSize("TIFF", deep with { HasAlpha = true }, 24000, 23000, "/scans/master.tif"));
    }

    [Fact]
    public void A_name_as_long_as_the_platform_allows_is_written_although_its_temp_name_would_be_longer()
    {
        string name = new string('x', PathLimits.MaxNameLength - 4) + ".png";
        string output = _folder.File(name);
        _writer.Write(Noise(4), "PNG", output, CancellationToken.None);
        Assert.Equal([name], Directory.EnumerateFileSystemEntries(_folder.Path).Select(Path.GetFileName));
    }
}
