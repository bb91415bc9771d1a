using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>
/// The JPEG processes beside baseline and progressive: 12-bit samples are read; arithmetic coding, lossless and
/// hierarchical JPEG, which the decoder (ImageSharp 2.1) cannot read, are refused as UnsupportedFormat naming the
/// process, not reported as damaged.
/// </summary>
public sealed class JpegVariantTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ImageLoader _loader = new(ImageLimits.Default);

    public void Dispose() => _folder.Dispose();

    private string Save(string name, byte[] bytes)
    {
        string path = _folder.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    // Four 8x8 blocks of 12-bit samples, black to white: each decodes to its sample over 4095.
    private static readonly int[][] s_twelveBit = [[0, 1000], [2048, 4095]];

    [Fact]
    public void A_12_bit_gray_jpeg_loads_its_samples()
    {
        var jpeg = HandMadeJpeg.Encode(2, 2, 1, (c, r) => [s_twelveBit[r][c]], precision: 12, frameCode: 0xC1);
        var loaded = _loader.Load(Save("twelve.jpg", jpeg), 2);
        for (int block = 0; block < 4; block++)
        {
            double expected = s_twelveBit[block / 2][block % 2] / 4095.0;
            // ImageSharp 2.1 decodes to 8 bits a sample: within half an 8-bit level.
            Assert.InRange(loaded.Pixels[0, block / 2 * 8 + 3, block % 2 * 8 + 3], expected - 0.5 / 255, expected + 0.5 / 255);
        }
        Assert.True(loaded.Traits.IsGray);
    }

    public static TheoryData<string, string> Unreadable => new()
    {
        { "arithmetic", "arithmetic coding" },
        { "lossless", "lossless" },
        { "hierarchical", "differential" },
    };

    /// <summary>
    /// The arithmetic-coded file is libjpeg's; the lossless (SOF3) and hierarchical (SOF5) ones have those processes'
    /// frame headers over sequential data, which is as far as the decoder reads before it refuses them.
    /// </summary>
    [Theory]
    [MemberData(nameof(Unreadable))]
    public void A_jpeg_of_a_process_the_decoder_cannot_read_is_UnsupportedFormat_naming_it(string process, string named)
    {
        var jpeg = process == "arithmetic"
            ? File.ReadAllBytes(RepoPaths.Fixture("libjpeg-arithmetic.jpg"))
            : HandMadeJpeg.Encode(2, 2, 1, (c, r) => [r * 100 + c * 50], precision: 8, frameCode: process == "lossless" ? (byte)0xC3 : (byte)0xC5);
        string path = Save($"{process}.jpg", jpeg);

        var error = Assert.Throws<ImageInputException>(() => _loader.Load(path, 2));

        Assert.Equal("UnsupportedFormat", error.ErrorId);
        Assert.StartsWith(path + ": ", error.Message);
        Assert.Contains(named, error.Reason, StringComparison.OrdinalIgnoreCase);
    }
}
