using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Quality;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Quality;

public class ImageQualityFileTests
{
    private static readonly ImageLoader s_loader = new(ImageLimits.Default);

    [Fact]
    public void Files_are_decoded_by_the_engine_and_scored()
    {
        using var folder = new TempFolder();
        var pixels = TestImages.RandomPixels(new Random(8), 20, 16);
        // +5 on every channel, kept clear of 255 by halving first: the expected scores are those of a constant offset,
        // 35.47332 dB on Y and 34.15140 dB on RGB (worked out in PsnrTests).
        var reference = pixels.Select(p => new Rgb24((byte)(p.R / 2), (byte)(p.G / 2), (byte)(p.B / 2))).ToArray();
        var brighter = reference.Select(p => new Rgb24((byte)(p.R + 5), (byte)(p.G + 5), (byte)(p.B + 5))).ToArray();
        TestImages.SavePng(folder.File("ref.png"), reference, 20, 16);
        TestImages.SavePng(folder.File("img.png"), brighter, 20, 16);
        var scores = ImageQuality.CompareFiles(s_loader, folder.File("ref.png"), folder.File("img.png"), scale: 1, border: 1);
        Assert.Equal(35.47332, scores.PsnrY, 1e-4);
        Assert.Equal(34.15140, scores.PsnrRgb, 1e-4);
        Assert.Equal((20, 16, 1), (scores.Width, scores.Height, scores.Border));
        Assert.Equal(1.0, ImageQuality.CompareFiles(s_loader, folder.File("ref.png"), folder.File("ref.png"), 1, 1).SsimY, 12);
    }

    [Fact]
    public void A_missing_or_undecodable_file_is_an_input_error_naming_it()
    {
        using var folder = new TempFolder();
        TestImages.SavePng(folder.File("ref.png"), TestImages.RandomPixels(new Random(9), 16, 16), 16, 16);
        File.WriteAllText(folder.File("notes.png"), "not an image");

        var missing = Assert.Throws<ImageInputException>(() => ImageQuality.CompareFiles(s_loader, folder.File("ref.png"), folder.File("gone.png"), 1, 0));
        Assert.Equal("InputNotFound", missing.ErrorId);
        Assert.Equal(folder.File("gone.png"), missing.Path);

        var text = Assert.Throws<ImageInputException>(() => ImageQuality.CompareFiles(s_loader, folder.File("notes.png"), folder.File("ref.png"), 1, 0));
        Assert.Equal("UnsupportedFormat", text.ErrorId);
        Assert.Equal(folder.File("notes.png"), text.Path);
    }

    [Fact]
    public void Images_of_different_sizes_are_a_size_mismatch_naming_both_files()
    {
        using var folder = new TempFolder();
        TestImages.SavePng(folder.File("ref.png"), TestImages.RandomPixels(new Random(10), 16, 16), 16, 16);
        TestImages.SavePng(folder.File("wide.png"), TestImages.RandomPixels(new Random(11), 24, 16), 24, 16);
        var e = Assert.Throws<ImageInputException>(() => ImageQuality.CompareFiles(s_loader, folder.File("ref.png"), folder.File("wide.png"), 1, 0));
        Assert.Equal("SizeMismatch", e.ErrorId);
        Assert.Equal(folder.File("wide.png"), e.Path);
        Assert.Contains(folder.File("ref.png"), e.Message);
        Assert.Contains("24x16", e.Message);
    }
}
