using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>
/// An MPO (a 3D camera's stereo pair) is upscaled as its first image, with a warning that the other was left out, and
/// written as a JPEG named .jpg; a camera JPEG whose index holds only a large preview is upscaled without one.
/// </summary>
public sealed class MultiPictureTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ImageLoader _loader = new(ImageLimits.Default);

    public void Dispose() => _folder.Dispose();

    private static byte[] Jpeg(int width, int height, Func<int, int, Rgba32> pixel)
    {
        using var image = FixtureImages.Pattern(width, height, pixel);
        return FixtureImages.Encode(image, new JpegEncoder { Quality = 90 });
    }

    private static readonly byte[] s_left = Jpeg(24, 16, FixtureImages.Colour);
    private static readonly byte[] s_right = Jpeg(20, 12, (x, y) => new Rgba32((byte)(250 - x * 9), 40, (byte)(y * 20), 255));

    private LoadedImage Load(string name, byte[] bytes)
    {
        string path = _folder.File(name);
        File.WriteAllBytes(path, bytes);
        return _loader.Load(path, 2);
    }

    [Fact]
    public void A_stereo_pair_loads_its_first_image_and_warns_that_the_other_is_left_out()
    {
        var mpo = Load("DSCF0001.MPO", HandMadeMpo.Build(s_left, HandMadeMpo.Disparity, s_right, HandMadeMpo.Disparity));
        Assert.Equal(Load("left.jpg", s_left).Pixels.Data, mpo.Pixels.Data);
        Assert.Contains("it is a multi-picture (MPO) file of 2 images (a stereo pair, a panorama or a multi-angle set): only its first image is upscaled", mpo.Warnings);
    }

    [Fact]
    public void A_jpeg_that_indexes_only_a_large_preview_loads_without_a_warning()
    {
        var photo = Load("DSC_0001.JPG", HandMadeMpo.Build(s_left, HandMadeMpo.Primary, s_right, HandMadeMpo.LargeThumbnail));
        Assert.Equal(Load("left.jpg", s_left).Pixels.Data, photo.Pixels.Data);
        Assert.Empty(photo.Warnings);
    }

    [Theory]
    [InlineData("DSCF0001.MPO")]
    [InlineData("pair.mpo")]
    public void An_mpo_is_written_as_a_jpeg_named_jpg(string input)
    {
        Assert.Equal("JPEG", OutputFormats.Resolve(OutputFormat.Same, input));
        Assert.Equal(".jpg", OutputFormats.Extension("JPEG", input));
        Assert.Contains(Path.GetExtension(input), InputExtensions.All);
    }
}
