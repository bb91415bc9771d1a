using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// Encodes a planar float image and puts it in place atomically: the bytes go to a hidden temp file in the
/// destination folder (same volume, so the rename is atomic) and only a complete file is renamed into place.
/// </summary>
public sealed class ImageWriter
{
    private readonly int _quality;

    public ImageWriter(int quality)
    {
        if (quality is < 1 or > 100)
            throw new ArgumentOutOfRangeException(nameof(quality), "Quality is 1-100.");
        _quality = quality;
    }

    public void Write(PlanarImage pixels, string formatName, string outputPath, CancellationToken cancellation)
    {
        using var image = ToImage(pixels);
        string directory = Path.GetDirectoryName(outputPath)!;
        string temp = Path.Combine(directory, $".{Path.GetFileName(outputPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(directory);
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                image.Save(stream, CreateEncoder(formatName));
                stream.Flush(flushToDisk: true);
            }
            cancellation.ThrowIfCancellationRequested();
            File.Move(temp, outputPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageInputException("OutputWriteFailed", ImageErrorKind.WriteFailed, outputPath, $"the output cannot be written ({e.Message})", e);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the temp name is hidden and unique, and a failed delete must not hide the real error.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private IImageEncoder CreateEncoder(string formatName) => formatName switch
    {
        "JPEG" => new JpegEncoder { Quality = _quality, ColorType = JpegColorType.YCbCrRatio444 },
        "Webp" => new WebpEncoder { Quality = _quality, FileFormat = WebpFileFormatType.Lossy },
        "BMP" => new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 },
        "TIFF" => new TiffEncoder { Compression = SixLabors.ImageSharp.Formats.Tiff.Constants.TiffCompression.Deflate },
        _ => new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8 },
    };

    /// <summary>Rounds to the nearest 8-bit level (truncation would darken every image by half a level).</summary>
    internal static Image<Rgb24> ToImage(PlanarImage planar)
    {
        var pixels = new Rgb24[planar.PlaneLength];
        var r = planar.Plane(0);
        var g = planar.Plane(1);
        var b = planar.Plane(2);
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = new Rgb24(ToByte(r[i]), ToByte(g[i]), ToByte(b[i]));
        return Image.LoadPixelData<Rgb24>(pixels, planar.Width, planar.Height);
    }

    internal static byte ToByte(float value)
    {
        float scaled = value * 255f;
        // NaN fails both comparisons and lands on 0; the quality gate reports NaN before this point.
        if (!(scaled > 0f))
            return 0;
        if (scaled >= 255f)
            return 255;
        return (byte)MathF.Round(scaled, MidpointRounding.AwayFromZero);
    }
}
