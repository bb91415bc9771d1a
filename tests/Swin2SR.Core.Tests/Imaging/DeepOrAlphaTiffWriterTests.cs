using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.Metadata.Profiles.Icc;
using SixLabors.ImageSharp.Metadata.Profiles.Iptc;
using SixLabors.ImageSharp.Metadata.Profiles.Xmp;
using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>
/// A 16-bit source written as TIFF keeps its 16 bits (ImageSharp 2.1's TIFF encoder writes 8 whatever it is asked),
/// and an 8-bit one its alpha (it writes none): every level, the alpha, and the tags an 8-bit RGB TIFF output keeps.
/// </summary>
public sealed class DeepOrAlphaTiffWriterTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ImageWriter _writer = new(95);

    public void Dispose() => _folder.Dispose();

    /// <summary>A 16-bit level per channel, pixel and row, none of them a multiple of 257 (an 8-bit level widened).</summary>
    private static ushort Level(int channel, int x, int y)
    {
        int level = (channel * 20011 + x * 7919 + y * 104) % 65535;
        return (ushort)(level % 257 == 0 ? level + 1 : level);
    }

    /// <summary>A level of <paramref name="bits"/> bits: at 8, the low byte of the 16-bit one, as varied.</summary>
    private static ushort Level(int bits, int channel, int x, int y) => bits == 8 ? (byte)Level(channel, x, y) : Level(channel, x, y);

    private static UpscaledImage Deep(int width, int height, bool gray, bool alpha, ImageMetadata? metadata = null, int bits = 16)
    {
        float top = (1 << bits) - 1;
        var planes = new PlanarImage(width, height);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    planes[c, y, x] = Level(bits, gray ? 0 : c, x, y) / top;
        float[]? opacity = alpha ? Enumerable.Range(0, width * height).Select(i => Level(bits, 3, i % width, i / width) / top).ToArray() : null;
        return new UpscaledImage(planes, opacity, new ImageTraits("TIFF", bits, gray, alpha), metadata);
    }

    private string Write(string name, UpscaledImage image)
    {
        string path = _folder.File(name);
        _writer.Write(image, "TIFF", path, CancellationToken.None);
        return path;
    }

    private const int Width = 4000, Height = 23;

    [Theory]
    [InlineData(16, false, false, 3, 2)]
    [InlineData(16, false, true, 4, 2)]
    [InlineData(16, true, false, 1, 1)]
    [InlineData(8, false, true, 4, 2)]
    public void Every_level_and_alpha_reads_back_exactly_from_deflated_predicted_strips(int bits, bool gray, bool alpha, int samples, int photometric)
    {
        // 4000 pixels of 2 to 8 bytes a row: several strips of 64 KB at most, the last one short.
        string path = Write("deep.tif", Deep(Width, Height, gray, alpha, bits: bits));
        byte[] file = File.ReadAllBytes(path);
        Assert.Equal(Enumerable.Repeat((ulong)bits, samples), TiffStructure.FirstPageValues(file, 258, out _));
        Assert.Equal((uint)samples, TiffStructure.FirstPageValue(file, 277));
        Assert.Equal((uint)photometric, TiffStructure.FirstPageValue(file, 262));
        Assert.Equal(8u, TiffStructure.FirstPageValue(file, 259)); // Deflate
        Assert.Equal(2u, TiffStructure.FirstPageValue(file, 317)); // Predictor: horizontal differencing
        Assert.True(TiffStructure.FirstPageValues(file, 273, out _)!.Length > 1, "the pixels are in several strips");
        Assert.Equal(alpha ? 2u : null, TiffStructure.FirstPageValue(file, 338)); // ExtraSamples: unassociated alpha

        // An 8-bit level reads back widened to 16 bits: times 257.
        int widen = bits == 8 ? 257 : 1;
        using var back = Image.Load<Rgba64>(path);
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
            {
                var expected = new Rgba64((ushort)(Level(bits, 0, x, y) * widen), (ushort)(Level(bits, gray ? 0 : 1, x, y) * widen),
                    (ushort)(Level(bits, gray ? 0 : 2, x, y) * widen), alpha ? (ushort)(Level(bits, 3, x, y) * widen) : ushort.MaxValue);
                Assert.True(expected == back[x, y], $"({x},{y}) is {back[x, y]}, not {expected}");
            }
    }

    /// <summary>A gray cut-out keeps its alpha as gray and alpha (it was flattened onto white): ImageSharp 2.1 reads no such TIFF, this module's loader does.</summary>
    [Theory]
    [InlineData(16)]
    [InlineData(8)]
    public void Gray_with_alpha_is_written_as_gray_and_alpha_at_its_depth_which_this_module_reads_back(int bits)
    {
        string path = Write("gray-alpha.tif", Deep(Width, Height, gray: true, alpha: true, bits: bits));
        byte[] file = File.ReadAllBytes(path);
        Assert.Equal((2u, 1u, 2u), (TiffStructure.FirstPageValue(file, 277), TiffStructure.FirstPageValue(file, 262), TiffStructure.FirstPageValue(file, 338)));
        var back = new ImageLoader(ImageLimits.Default).Load(path, 1);
        Assert.Equal((bits, true), (back.Traits.BitDepth, back.Traits.IsGray));
        float top = (1 << bits) - 1;
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
            {
                // The gray under a fully transparent pixel is filled from its neighbours as the loader reads it (TransparentColourFill).
                ushort alpha = Level(bits, 3, x, y), gray = alpha == 0 ? (ushort)Math.Round(back.Pixels[0, y, x] * top) : Level(bits, 0, x, y);
                var read = ((ushort)Math.Round(back.Pixels[0, y, x] * top), (ushort)Math.Round(back.Alpha![y * Width + x] * top));
                Assert.True((gray, alpha) == read, $"({x},{y}) is {read}");
            }
    }

    [Theory]
    [InlineData(16, false, 48)]
    [InlineData(8, true, 32)]
    public void A_16_bit_or_rgba_tiff_keeps_the_tags_an_8_bit_rgb_one_keeps(int bits, bool alpha, int bitsPerPixel)
    {
        var metadata = new ImageMetadata
        {
            HorizontalResolution = 600,
            VerticalResolution = 300,
            ResolutionUnits = PixelResolutionUnit.PixelsPerInch,
            IccProfile = new IccProfile(FixtureImages.IccProfile("wide gamut")),
            XmpProfile = new XmpProfile("<x:xmpmeta xmlns:x='adobe:ns:meta/'/>"u8.ToArray()),
            ExifProfile = new ExifProfile(),
            IptcProfile = new IptcProfile(),
        };
        metadata.ExifProfile.SetValue(ExifTag.Artist, "Harbour Archive");
        metadata.ExifProfile.SetValue(ExifTag.Copyright, "Harbour Archive 1931");
        metadata.ExifProfile.SetValue(ExifTag.DateTimeOriginal, "1931:02:03 04:05:06");
        metadata.ExifProfile.SetValue(ExifTag.GPSLatitudeRef, "N");
        metadata.IptcProfile.SetValue(IptcTag.Caption, "Letter from the mayor");
        var image = Deep(12, 8, gray: false, alpha, metadata, bits);
        byte[] sixteen = File.ReadAllBytes(Write("deep.tif", image));
        byte[] eight = File.ReadAllBytes(Write("shallow.tif", image with { Alpha = null, Traits = image.Traits with { BitDepth = 8, HasAlpha = false } }));

        Assert.Equal(24, Image.Identify(eight).PixelType.BitsPerPixel);
        Assert.Equal(bitsPerPixel, Image.Identify(sixteen).PixelType.BitsPerPixel);
        // Every tag but the pixels' layout and the pointers (offsets differ) holds the same value in both.
        ushort[] layout = [256, 257, 258, 259, 262, 273, 277, 278, 279, 284, 317, 338, 34665, 34853];
        var tags = Tags(eight).Except(layout).ToList();
        Assert.Equal(tags, Tags(sixteen).Except(layout));
        Assert.Contains((ushort)34675, tags); // ICC profile
        Assert.Contains((ushort)700, tags); // XMP
        Assert.Contains((ushort)33723, tags); // IPTC
        Assert.Contains((ushort)282, tags); // XResolution
        foreach (ushort tag in tags)
            Assert.True(Value(eight, tag).SequenceEqual(Value(sixteen, tag)), $"tag {tag} differs");
        Assert.Equal("1931:02:03 04:05:06", Text(sixteen, 34665, 36867));
        Assert.Equal("N", Text(sixteen, 34853, 1));
        var read = Image.Identify(sixteen);
        Assert.Equal((600d, 300d), (read.Metadata.HorizontalResolution, read.Metadata.VerticalResolution));
    }

    /// <summary>The first page's tags in the order its directory lists them, as TIFF requires: ascending.</summary>
    private static List<ushort> Tags(byte[] tiff)
    {
        int directory = BitConverter.ToInt32(tiff, 4);
        var tags = Enumerable.Range(0, BitConverter.ToUInt16(tiff, directory)).Select(i => BitConverter.ToUInt16(tiff, directory + 2 + i * 12)).ToList();
        Assert.Equal(tags.Order(), tags);
        return tags;
    }

    /// <summary>A first-page tag's type, count and values, wherever they are stored.</summary>
    private static byte[] Value(byte[] tiff, ushort tag)
    {
        int directory = BitConverter.ToInt32(tiff, 4);
        int at = directory + 2 + 12 * Tags(tiff).IndexOf(tag);
        int size = BitConverter.ToUInt16(tiff, at + 2) switch { 3 or 8 => 2, 4 or 9 or 11 => 4, 5 or 10 or 12 => 8, _ => 1 } * BitConverter.ToInt32(tiff, at + 4);
        int values = size <= 4 ? at + 8 : BitConverter.ToInt32(tiff, at + 8);
        return [.. tiff[(at + 2)..(at + 8)], .. tiff[values..(values + size)]];
    }

    private static string Text(byte[] tiff, ushort pointer, ushort tag) =>
        System.Text.Encoding.ASCII.GetString(tiff[TiffStructure.PointedBytes(tiff, [pointer], tag) ?? throw new Xunit.Sdk.XunitException($"tag {tag} is not in directory {pointer}")]).TrimEnd('\0');
}
