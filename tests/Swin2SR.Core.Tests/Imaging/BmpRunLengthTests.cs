using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>
/// Run-length coded BMPs load with the pixels their rows code, also where a row codes more pixels than the image is
/// wide, as ImageMagick writes every row whose width is not a multiple of four: the pixels past the width are dropped,
/// not carried into the next row.
/// </summary>
public sealed class BmpRunLengthTests : IDisposable
{
    private const int Width = 5;

    private readonly TempFolder _folder = new();
    private readonly ImageLoader _loader = new(ImageLimits.Default);

    public void Dispose() => _folder.Dispose();

    private static readonly Rgb24[] s_palette = [.. Enumerable.Range(0, 16).Select(i => new Rgb24((byte)(i * 16), (byte)(250 - i * 13), (byte)(i * 37 % 256)))];

    // RLE8 rows: a literal run then a run past the end; a run then a literal run cut to two pixels; one run of eight.
    private static readonly byte[][] s_rle8Rows = [[0, 3, 1, 2, 3, 0, 5, 4], [3, 5, 0, 4, 6, 7, 8, 9], [8, 10]];
    private static readonly int[][] s_rle8Pixels = [[1, 2, 3, 4, 4], [5, 5, 5, 6, 7], [10, 10, 10, 10, 10]];

    // RLE4 rows: the same shapes, a run's byte holding two alternating indices and a literal run two per byte.
    private static readonly byte[][] s_rle4Rows = [[0, 3, 0x12, 0x30, 5, 0x45], [3, 0x67, 0, 4, 0x89, 0xAB], [8, 0xCD]];
    private static readonly int[][] s_rle4Pixels = [[1, 2, 3, 4, 5], [6, 7, 6, 8, 9], [12, 13, 12, 13, 12]];

    // The same pixels in rows that code exactly the width, as Windows and GIMP write them.
    private static readonly byte[][] s_exactRle8Rows = [[0, 3, 1, 2, 3, 0, 2, 4], [3, 5, 1, 6, 1, 7], [5, 10]];

    public static TheoryData<string, int> Rows => new()
    {
        { "overlong RLE8", 8 },
        { "overlong RLE4", 4 },
        { "exact RLE8", 8 },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void A_run_length_coded_bmp_loads_the_pixels_of_each_row_within_its_width(string kind, int bits)
    {
        var (rows, pixels) = kind switch
        {
            "overlong RLE8" => (s_rle8Rows, s_rle8Pixels),
            "overlong RLE4" => (s_rle4Rows, s_rle4Pixels),
            _ => (s_exactRle8Rows, s_rle8Pixels),
        };
        string path = _folder.File("rle.bmp");
        File.WriteAllBytes(path, HandMadeBmp.RunLength(Width, rows, bits, s_palette));
        var loaded = _loader.Load(path, 2);
        for (int y = 0; y < pixels.Length; y++)
            for (int x = 0; x < Width; x++)
            {
                var expected = s_palette[pixels[y][x]];
                Assert.Equal((expected.R, expected.G, expected.B, kind, x, y),
                    (Level(loaded, 0, x, y), Level(loaded, 1, x, y), Level(loaded, 2, x, y), kind, x, y));
            }
    }

    private static byte Level(LoadedImage image, int channel, int x, int y) => (byte)Math.Round(image.Pixels[channel, y, x] * 255);
}
