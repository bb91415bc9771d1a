using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>
/// EXIF says Orientation is a SHORT, but some writers store it as a LONG, an SLONG or a BYTE, and ImageSharp 2.1 drops
/// a LONG or a BYTE one: such a picture came out lying on its side. Whatever integer type holds the value, in either
/// byte order, it comes out as the SHORT-typed file does (ImageLoaderPixelTests checks that file for every orientation).
/// </summary>
public sealed class OrientationTypeTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ImageLoader _loader = new(ImageLimits.Default);

    public void Dispose() => _folder.Dispose();

    /// <summary>Stored 3 wide and 5 high; orientation 6 turns it to 5x3.</summary>
    private static Image<Rgba32> Stored() => FixtureImages.Pattern(3, 5, FixtureImages.Colour);

    private const int TurnedRight = 6;

    private LoadedImage Load(string name, byte[] bytes)
    {
        string path = _folder.File(name);
        File.WriteAllBytes(path, bytes);
        var loaded = _loader.Load(path, 2);
        // Identify (which sizes the run's plan) must see the same upright size as the decode.
        var header = _loader.Identify(path, 2);
        Assert.Equal((loaded.Pixels.Width, loaded.Pixels.Height), (header.Width, header.Height));
        return loaded;
    }

    public static TheoryData<string, ushort, bool> Carriers()
    {
        var data = new TheoryData<string, ushort, bool>();
        foreach (string format in new[] { "JPEG", "PNG", "Webp" })
            foreach (ushort type in new[] { HandMadeExif.ByteType, HandMadeExif.ShortType, HandMadeExif.LongType, HandMadeExif.SByteType, HandMadeExif.SShortType, HandMadeExif.SLongType })
                foreach (bool bigEndian in new[] { false, true })
                    data.Add(format, type, bigEndian);
        return data;
    }

    [Theory]
    [MemberData(nameof(Carriers))]
    public void An_exif_orientation_of_any_integer_type_and_byte_order_turns_the_picture_as_a_short_one_does(string format, ushort type, bool bigEndian)
    {
        using var stored = Stored();
        var reference = Load($"short.{format}", HandMadeExif.InFile(format, stored, HandMadeExif.WithOrientation(TurnedRight, HandMadeExif.ShortType, bigEndian: false)));
        Assert.Equal((5, 3), (reference.Pixels.Width, reference.Pixels.Height));

        var loaded = Load($"typed-{type}-{bigEndian}.{format}", HandMadeExif.InFile(format, stored, HandMadeExif.WithOrientation(TurnedRight, type, bigEndian)));
        Assert.Equal((5, 3), (loaded.Pixels.Width, loaded.Pixels.Height));
        Assert.Equal(reference.Pixels.Data, loaded.Pixels.Data);
    }

    /// <summary>The output is stored upright: its own EXIF, read from the file as written, says 1 whatever type the input's said 6 in.</summary>
    [Theory]
    [InlineData("JPEG", "out.jpg")]
    [InlineData("PNG", "out.png")]
    [InlineData("Webp", "out.webp")]
    public void The_output_of_a_long_orientation_says_upright(string format, string output)
    {
        using var stored = Stored();
        var loaded = Load($"long.{format}", HandMadeExif.InFile(format, stored, HandMadeExif.WithOrientation(TurnedRight, HandMadeExif.LongType, bigEndian: true)));
        string path = _folder.File(output);
        new ImageWriter(90).Write(new UpscaledImage(loaded.Pixels, null, loaded.Traits, loaded.Metadata), format, path, CancellationToken.None);
        var written = File.ReadAllBytes(path);
        Assert.Equal(1, TiffStructure.FirstPageInteger(written[ExifBlock.Find(format, written)!.Value], HandMadeTiff.OrientationTag));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    [InlineData(-6)]
    [InlineData(65542)]
    public void A_long_orientation_outside_1_to_8_is_ignored(int value)
    {
        // 65542 is 6 in its low 16 bits, -6 is 6 once its sign is dropped: neither may pass for 6.
        using var stored = Stored();
        var loaded = Load("odd.jpg", HandMadeExif.InFile("JPEG", stored, HandMadeExif.WithOrientation(value, HandMadeExif.SLongType, bigEndian: true)));
        Assert.Equal((3, 5), (loaded.Pixels.Width, loaded.Pixels.Height));
    }

    [Theory]
    [InlineData(HandMadeExif.ByteType)]
    [InlineData(HandMadeExif.LongType)]
    [InlineData(HandMadeExif.SShortType)]
    [InlineData(HandMadeExif.SLongType)]
    public void A_tiff_orientation_of_any_integer_type_turns_the_picture_as_a_short_one_does(ushort type)
    {
        using var stored = Stored();
        var tiff = HandMadeTiff.Rgb(3, 5, (x, y) => stored[x, y].Rgb, planar: false, extraTags: (HandMadeTiff.OrientationTag, TurnedRight));
        var reference = Load("short.tif", tiff);
        Assert.Equal((5, 3), (reference.Pixels.Width, reference.Pixels.Height));
        var loaded = Load($"typed-{type}.tif", HandMadeTiff.WithFirstPageType(tiff, HandMadeTiff.OrientationTag, type));
        Assert.Equal(reference.Pixels.Data, loaded.Pixels.Data);
    }
}
