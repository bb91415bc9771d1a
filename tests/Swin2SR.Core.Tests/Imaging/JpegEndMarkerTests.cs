using System.Text.RegularExpressions;
using SixLabors.ImageSharp.Formats.Jpeg;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>
/// A JPEG whose image data is whole but which lacks its end-of-image marker (FF D9), as some cameras, scanners and
/// web exporters write it and libjpeg, Pillow and browsers read it, loads as the whole file does, with a warning.
/// One cut inside its scan data, or between the scans of a progressive JPEG, is still CorruptImage, and says where
/// it ends.
/// </summary>
public sealed class JpegEndMarkerTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ImageLoader _loader = new(ImageLimits.Default);

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string> Kinds => ["4:2:0", "4:4:4", "gray", "hand-made progressive", "libjpeg progressive with restarts"];

    /// <summary>61x37 where the encoder is ImageSharp's: neither side a whole number of MCUs, so the last row and column of blocks are partial.</summary>
    private static byte[] Jpeg(string kind)
    {
        using var image = FixtureImages.Pattern(61, 37, FixtureImages.Colour);
        return kind switch
        {
            "4:2:0" => FixtureImages.Encode(image, new JpegEncoder { Quality = 90, ColorType = JpegColorType.YCbCrRatio420 }),
            "4:4:4" => FixtureImages.Encode(image, new JpegEncoder { Quality = 90, ColorType = JpegColorType.YCbCrRatio444 }),
            "gray" => FixtureImages.Encode(image, new JpegEncoder { ColorType = JpegColorType.Luminance }),
            // Its AC scans code each block as one bit (an end of block): 72 blocks make 9 bytes of scan data to cut into.
            "hand-made progressive" => HandMadeJpeg.Encode(24, 3, 3, (c, r) => [(byte)(c * 10), (byte)(r * 90 + 20), 128], progressive: true),
            _ => File.ReadAllBytes(RepoPaths.Fixture("libjpeg-progressive-restarts.jpg")),
        };
    }

    private LoadedImage Load(string name, byte[] bytes)
    {
        string path = _folder.File(name);
        File.WriteAllBytes(path, bytes);
        return _loader.Load(path, 2);
    }

    private ImageInputException Refused(byte[] bytes)
    {
        string path = _folder.File("cut.jpg");
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<ImageInputException>(() => _loader.Load(path, 2));
        Assert.Equal("CorruptImage", error.ErrorId);
        Assert.Contains("(the file is truncated)", error.Reason);
        return error;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_jpeg_missing_only_its_end_marker_loads_the_same_pixels_as_the_whole_file_and_warns(string kind)
    {
        var jpeg = Jpeg(kind);
        Assert.Equal([0xFF, 0xD9], jpeg[^2..]);
        var whole = Load("whole.jpg", jpeg);
        Assert.DoesNotContain(JpegStructure.EndMarkerMissingWarning, whole.Warnings);
        // Without FF D9, and without D9 alone (a file cut one byte short ends on the marker's FF).
        foreach (int missing in new[] { 2, 1 })
        {
            var loaded = Load($"no-eoi-{missing}.jpg", jpeg[..^missing]);
            Assert.Equal(whole.Pixels.Data, loaded.Pixels.Data);
            Assert.Contains(JpegStructure.EndMarkerMissingWarning, loaded.Warnings);
        }
    }

    /// <summary>
    /// Every byte of a scan's data holds some of its codes (the padding after the last code is less than a byte):
    /// a file that lacks the last byte before FF D9 lacks part of the image, and so does every shorter one.
    /// </summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_jpeg_cut_inside_its_last_scan_data_is_CorruptImage_that_says_where_it_ends(string kind)
    {
        var jpeg = Jpeg(kind);
        int lastScan = jpeg.AsSpan().LastIndexOf([(byte)0xFF, (byte)0xDA]);
        int scanLength = jpeg[lastScan + 2] << 8 | jpeg[lastScan + 3];
        int dataStart = lastScan + 2 + scanLength;
        var percents = new List<int>();
        foreach (int length in new[] { dataStart + 1, (dataStart + jpeg.Length - 3) / 2, jpeg.Length - 3 })
        {
            var error = Refused(jpeg[..length]);
            var where = Regex.Match(error.Reason, $"^the JPEG data ends at byte {length}, (\\d+)% of the way through (its image data|the data of its scan \\d+) ");
            Assert.True(where.Success, error.Reason);
            percents.Add(int.Parse(where.Groups[1].Value));
        }
        // The share of the scan's blocks decoded grows with what the file keeps of it.
        Assert.Equal(percents.Order(), percents);
        Assert.True(percents[0] < percents[2], string.Join(", ", percents));
    }

    [Fact]
    public void A_progressive_jpeg_cut_between_two_scans_is_CorruptImage_although_each_scan_it_has_is_whole()
    {
        var jpeg = Jpeg("libjpeg progressive with restarts");
        // Cut where the last scan's header (or the tables before it) would begin: every scan present is whole, the refinement missing.
        int lastScan = jpeg.AsSpan().LastIndexOf([(byte)0xFF, (byte)0xDA]);
        int lastTables = jpeg.AsSpan(0, lastScan).LastIndexOf([(byte)0xFF, (byte)0xC4]);
        var error = Refused(jpeg[..lastTables]);
        Assert.StartsWith($"the JPEG data ends at byte {lastTables}, after 9 scans, with its image unfinished, before its end-of-image marker (the file is truncated)", error.Reason);
    }
}
