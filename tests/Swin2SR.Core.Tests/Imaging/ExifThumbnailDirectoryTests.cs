using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>An EXIF block with a thumbnail directory: the main image's tags are kept once, the thumbnail's are not merged in.</summary>
public sealed class ExifThumbnailDirectoryTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ImageLoader _loader = new(ImageLimits.Default);

    public void Dispose() => _folder.Dispose();

    private static readonly byte[] s_exif = HandMadeExif.WithThumbnailDirectory(mainDpi: 300, thumbnailDpi: 72);

    /// <summary>The picture as <paramref name="format"/>, carrying <see cref="s_exif"/> where that format keeps EXIF.</summary>
    private static byte[] Carrying(string format)
    {
        using var image = FixtureImages.Pattern(16, 8, FixtureImages.Colour);
        // The container says what IFD0 says (JFIF density, pHYs), as the writers of such files do.
        image.Metadata.ResolutionUnits = SixLabors.ImageSharp.Metadata.PixelResolutionUnit.PixelsPerInch;
        image.Metadata.HorizontalResolution = image.Metadata.VerticalResolution = 300;
        return HandMadeExif.InFile(format, image, s_exif);
    }

    [Theory]
    [InlineData("JPEG", "thumb.jpg")]
    [InlineData("PNG", "thumb.png")]
    [InlineData("Webp", "thumb.webp")]
    public void The_main_images_resolution_is_kept_once_and_the_thumbnails_is_not_merged_in(string format, string name)
    {
        string path = _folder.File(name);
        File.WriteAllBytes(path, Carrying(format));
        var exif = _loader.Load(path, 2).Metadata.ExifProfile!;
        Assert.Equal([300.0], exif.Values.Where(v => v.Tag == ExifTag.XResolution).Select(v => ((Rational)v.GetValue()!).ToDouble()));
        Assert.Equal([300.0], exif.Values.Where(v => v.Tag == ExifTag.YResolution).Select(v => ((Rational)v.GetValue()!).ToDouble()));
        Assert.Null(exif.GetValue(ExifTag.Compression));
    }

    [Fact]
    public void A_jpeg_output_states_the_main_images_resolution_once()
    {
        string path = _folder.File("thumb.jpg");
        File.WriteAllBytes(path, Carrying("JPEG"));
        var loaded = _loader.Load(path, 2);
        string output = _folder.File("out.jpg");
        new ImageWriter(90).Write(new UpscaledImage(loaded.Pixels, null, loaded.Traits, loaded.Metadata), "JPEG", output, CancellationToken.None);
        var exif = Image.Identify(output).Metadata.ExifProfile!;
        Assert.Equal([300.0], exif.Values.Where(v => v.Tag == ExifTag.XResolution).Select(v => ((Rational)v.GetValue()!).ToDouble()));
    }
}
