using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Swin2SR.Core.Imaging;

/// <summary>A decoded input: upright pixels plus what the writer needs to know about the source.</summary>
public sealed record LoadedImage(PlanarImage Pixels, string FormatName);

/// <summary>
/// Reads one file into planar float RGB: identify first (format and size limits from the header), then
/// decode, then apply the EXIF orientation so the model sees the picture upright.
/// </summary>
public sealed class ImageLoader
{
    private readonly ImageLimits _limits;

    public ImageLoader(ImageLimits limits) => _limits = limits;

    /// <summary>Reads only the header: the format and the upright size, or an <see cref="ImageInputException"/>.</summary>
    public (int Width, int Height, string FormatName) Identify(string path, int scale)
    {
        using var stream = Open(path);
        var (info, format) = IdentifyStream(stream, path);
        CheckLimits(path, info.Width, info.Height, scale);
        var (w, h) = Orientation.UprightSize(info.Width, info.Height, info.Metadata.ExifProfile);
        return (w, h, format.Name);
    }

    public LoadedImage Load(string path, int scale)
    {
        using var stream = Open(path);
        var (info, format) = IdentifyStream(stream, path);
        CheckLimits(path, info.Width, info.Height, scale);
        stream.Position = 0;
        try
        {
            using var image = Image.Load<Rgb24>(SupportedFormats.Configuration, stream);
            image.Mutate(x => x.AutoOrient());
            return new LoadedImage(ToPlanar(image), format.Name);
        }
        catch (Exception e) when (e is ImageFormatException or InvalidImageContentException or NotSupportedException or EndOfStreamException)
        {
            throw new ImageInputException("CorruptImage", ImageErrorKind.InvalidData, path, $"the {format.Name} data is damaged or truncated ({e.Message})", e);
        }
    }

    private static FileStream Open(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ImageInputException("InputNotFound", ImageErrorKind.NotFound, path, "the file does not exist (was it moved or deleted after it was listed?)", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageInputException("InputUnreadable", ImageErrorKind.InvalidData, path, $"the file cannot be read ({e.Message})", e);
        }
    }

    private static (IImageInfo Info, IImageFormat Format) IdentifyStream(Stream stream, string path)
    {
        if (stream.Length == 0)
            throw new ImageInputException("EmptyFile", ImageErrorKind.InvalidData, path, "the file is empty (0 bytes)");
        IImageInfo? info;
        IImageFormat? format;
        try
        {
            info = Image.Identify(SupportedFormats.Configuration, stream, out format);
        }
        catch (Exception e) when (e is ImageFormatException or InvalidImageContentException or NotSupportedException or EndOfStreamException)
        {
            throw new ImageInputException("CorruptImage", ImageErrorKind.InvalidData, path, $"the image header is damaged ({e.Message})", e);
        }
        if (info is null || format is null)
            throw new ImageInputException("UnsupportedFormat", ImageErrorKind.NotSupported, path,
                "not a supported image (PNG, JPEG, WebP, BMP, TIFF or GIF expected)");
        if (info.Width <= 0 || info.Height <= 0)
            throw new ImageInputException("CorruptImage", ImageErrorKind.InvalidData, path, $"the header gives an impossible size {info.Width}x{info.Height}");
        return (info, format);
    }

    private void CheckLimits(string path, int width, int height, int scale)
    {
        double inputMegapixels = (double)width * height / 1e6;
        if (inputMegapixels > _limits.MaxInputMegapixels)
            throw new ImageInputException("ImageTooLarge", ImageErrorKind.LimitExceeded, path,
                $"{width}x{height} is {inputMegapixels:0.#} megapixels, over the limit of {_limits.MaxInputMegapixels:0.#} (-MaxInputMegapixels)");
        double outputMegapixels = inputMegapixels * scale * scale;
        if (outputMegapixels > _limits.MaxOutputMegapixels)
            throw new ImageInputException("OutputTooLarge", ImageErrorKind.LimitExceeded, path,
                $"the x{scale} output would be {outputMegapixels:0.#} megapixels, over the limit of {_limits.MaxOutputMegapixels:0.#} (-MaxOutputMegapixels)");
    }

    private static PlanarImage ToPlanar(Image<Rgb24> image)
    {
        var planar = new PlanarImage(image.Width, image.Height);
        var pixels = new Rgb24[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        var r = planar.Plane(0);
        var g = planar.Plane(1);
        var b = planar.Plane(2);
        const float inv = 1f / 255f;
        for (int i = 0; i < pixels.Length; i++)
        {
            r[i] = pixels[i].R * inv;
            g[i] = pixels[i].G * inv;
            b[i] = pixels[i].B * inv;
        }
        return planar;
    }
}
