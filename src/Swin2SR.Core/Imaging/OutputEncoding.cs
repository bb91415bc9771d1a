using System.Numerics;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Tiff.Constants;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace Swin2SR.Core.Imaging;

/// <summary>The upscaled image as the writer takes it: colour, alpha (output size), the source's traits and metadata.</summary>
public sealed record UpscaledImage(PlanarImage Pixels, float[]? Alpha, ImageTraits Traits, ImageMetadata? Metadata);

/// <summary>
/// Chooses the pixel type and encoder settings that keep what the source had and the format can hold: 16 bits
/// (PNG, TIFF), grayscale (PNG, JPEG, TIFF; as equal channels in WebP and BMP), alpha (PNG, WebP, BMP, TIFF),
/// lossless coding (a lossless WebP's WebP output).
/// ImageSharp 2.1 writes 8-bit TIFF without alpha only (a 16-bit or an RGBA TIFF is written by <see cref="DeepOrAlphaTiffEncoder"/>),
/// and JPEG has no alpha: there transparency is flattened onto white, and 16 bits are rounded to 8 where the format
/// holds 8 only (the caller warns).
/// </summary>
internal static class OutputEncoding
{
    /// <summary>
    /// Whether the output keeps the source's alpha: a TIFF as RGBA or as gray and alpha, 8- or 16-bit
    /// (<see cref="DeepOrAlphaTiffEncoder"/>; ImageSharp 2.1 reads no gray and alpha, this module does: <see cref="GrayAlphaTiff"/>).
    /// </summary>
    public static bool HoldsAlpha(string formatName) => formatName is "PNG" or "Webp" or "BMP" or "TIFF";

    /// <summary>PNG and TIFF are written with 16 bits per channel; the other formats hold 8.</summary>
    public static bool HoldsSixteenBits(string formatName) => formatName is "PNG" or "TIFF";

    /// <summary>The output's samples are 16-bit (else 8).</summary>
    private static bool WritesSixteenBits(ImageTraits traits, string formatName) => traits.BitDepth > 8 && HoldsSixteenBits(formatName);

    private static bool HoldsGray(string formatName) => formatName is "PNG" or "JPEG" or "TIFF";

    /// <summary>The output's pixels are gray (else RGB).</summary>
    public static bool WritesGray(ImageTraits traits, string formatName) => traits.IsGray && HoldsGray(formatName);

    /// <summary>
    /// The colour space of the source's ICC profile when it is not that of the output's pixels (a CMYK JPEG's
    /// profile on RGB pixels, a gray profile on a WebP, which holds RGB only); null when there is no profile or it
    /// fits. Such a profile is not written (the caller warns).
    /// </summary>
    public static string? MismatchedIccColourSpace(UpscaledImage source, string formatName) =>
        source.Metadata?.IccProfile?.ToByteArray() is { } icc && !IccColourSpace.Describes(icc, WritesGray(source.Traits, formatName))
            ? IccColourSpace.Of(icc) ?? "unknown"
            : null;

    /// <summary>The most XMP one JPEG APP1 segment holds: 65533 bytes after its length field, less its 29-byte namespace header.</summary>
    private const int MaxJpegXmpBytes = 65504;

    /// <summary>
    /// The size of the source's XMP as the output would carry it (<see cref="OutputMetadata"/>) when that is more than
    /// <paramref name="formatName"/> holds, else null: ImageSharp 2.1 splits a JPEG's longer XMP over several segments
    /// with the standard header, each a broken piece of XML to every other reader. Such XMP is not written (the caller
    /// warns); a PNG, WebP or TIFF source from Photoshop can carry megabytes of it.
    /// </summary>
    public static int? OversizedXmpLength(UpscaledImage source, string formatName) =>
        formatName == "JPEG" && source.Metadata?.XmpProfile?.ToByteArray() is { Length: > 0 } xmp
        && Encoding.UTF8.GetByteCount(OutputMetadata.UpdateXmp(Encoding.UTF8.GetString(xmp), source.Pixels.Width, source.Pixels.Height)) is var length
        && length > MaxJpegXmpBytes
            ? length
            : null;

    /// <summary>The most EXIF one JPEG APP1 segment holds: 65533 bytes after its length field, less its 6-byte "Exif" header.</summary>
    private const int MaxJpegExifBytes = 65527;

    /// <summary>
    /// What of the source's EXIF a JPEG output leaves out, with the EXIF's size, when it is more than a JPEG holds;
    /// null when it fits. EXIF cannot continue in a second segment: ImageSharp 2.1 writes the rest into more, which
    /// most readers ignore (their offsets past the first point nowhere). A PNG's eXIf or a TIFF's tags can be that
    /// large, nearly always for a camera's maker note: without it the rest (camera, date, copyright) is kept, and
    /// where that is still too large, the whole EXIF is left out. The caller warns.
    /// </summary>
    public static (int Length, bool Whole)? OversizedExif(UpscaledImage source, string formatName)
    {
        if (formatName != "JPEG" || source.Metadata?.ExifProfile?.ToByteArray() is not { Length: > MaxJpegExifBytes } exif)
            return null;
        return (exif.Length, WithoutMakerNote(source.Metadata.ExifProfile).ToByteArray().Length > MaxJpegExifBytes);
    }

    private static ExifProfile WithoutMakerNote(ExifProfile exif)
    {
        var copy = exif.DeepClone();
        copy.RemoveValue(ExifTag.MakerNote);
        return copy;
    }

    /// <summary>The warning for metadata <see cref="OversizedXmpLength"/> or <see cref="OversizedExif"/> leaves out.</summary>
    public static string LeftOutOfJpeg(string kind, int length, string what = "it is") =>
        $"its {kind} metadata ({length / 1024} KB) is more than a JPEG file holds (64 KB): {what} left out (-Format Png keeps it)";

    /// <summary>The bytes a pixel of the output takes uncompressed: its samples (gray or RGB, and alpha where kept), 1 or 2 bytes each.</summary>
    public static int BytesPerPixel(ImageTraits traits, string formatName) =>
        ((WritesGray(traits, formatName) ? 1 : 3) + (traits.HasAlpha && HoldsAlpha(formatName) ? 1 : 0)) * (WritesSixteenBits(traits, formatName) ? 2 : 1);

    public static (Image Image, IImageEncoder Encoder) Prepare(UpscaledImage source, string formatName, int quality)
    {
        bool alpha = source.Alpha is not null && HoldsAlpha(formatName);
        bool gray = WritesGray(source.Traits, formatName);
        bool deep = WritesSixteenBits(source.Traits, formatName);
        Image image = (gray, alpha, deep) switch
        {
            (true, true, true) => Build<La32>(source, alpha),
            (true, true, false) => Build<La16>(source, alpha),
            (true, false, true) => Build<L16>(source, alpha),
            (true, false, false) => Build<L8>(source, alpha),
            (false, true, true) => Build<Rgba64>(source, alpha),
            (false, true, false) => Build<Rgba32>(source, alpha),
            (false, false, true) => Build<Rgb48>(source, alpha),
            _ => Build<Rgb24>(source, alpha),
        };
        if (source.Metadata is { } metadata)
            CopyMetadata(OutputMetadata.For(metadata, image.Width, image.Height), image.Metadata);
        if (MismatchedIccColourSpace(source, formatName) is not null)
            image.Metadata.IccProfile = null;
        if (OversizedXmpLength(source, formatName) is not null)
            image.Metadata.XmpProfile = null;
        if (OversizedExif(source, formatName) is { } exif)
            image.Metadata.ExifProfile = exif.Whole ? null : WithoutMakerNote(image.Metadata.ExifProfile!);
        if (formatName == "TIFF")
            TiffPageMetadata.Place(image);
        if (formatName == "JPEG")
            JfifDensity.Fit(image.Metadata);
        IImageEncoder encoder = formatName switch
        {
            "JPEG" => new JpegEncoder { Quality = quality, ColorType = gray ? JpegColorType.Luminance : JpegColorType.YCbCrRatio444 },
            // For lossless coding Quality is the compression effort: the default keeps it as fast as a lossy encode.
            "Webp" when source.Traits.IsLosslessWebp => new WebpEncoder { FileFormat = WebpFileFormatType.Lossless },
            "Webp" => new WebpEncoder { Quality = quality, FileFormat = WebpFileFormatType.Lossy },
            "BMP" => new BmpEncoder { BitsPerPixel = alpha ? BmpBitsPerPixel.Pixel32 : BmpBitsPerPixel.Pixel24, SupportTransparency = alpha },
            "TIFF" when deep || alpha => new DeepOrAlphaTiffEncoder(EightBitTiff(gray)),
            "TIFF" => EightBitTiff(gray),
            _ => new PngEncoder
            {
                ColorType = (gray, alpha) switch
                {
                    (true, true) => PngColorType.GrayscaleWithAlpha,
                    (true, false) => PngColorType.Grayscale,
                    (false, true) => PngColorType.RgbWithAlpha,
                    _ => PngColorType.Rgb,
                },
                BitDepth = deep ? PngBitDepth.Bit16 : PngBitDepth.Bit8,
                // ImageSharp's deflate at its default level 6 costs 3.3-3.5x the time of level 3 for 4-9% smaller
                // files (docs/benchmarks.md, "PNG encoding"); at the outputs' sizes the encoders would otherwise hold
                // up the devices.
                CompressionLevel = PngCompressionLevel.Level3,
            },
        };
        return (image, encoder);
    }

    private static TiffEncoder EightBitTiff(bool gray) => new()
    {
        // The horizontal predictor stores each sample as its difference from its left neighbour, which deflates
        // far better on photographs and scans: 27-40% smaller TIFFs (ImageSharp's deflate alone saved 9% over raw).
        Compression = TiffCompression.Deflate,
        HorizontalPredictor = TiffPredictor.Horizontal,
        BitsPerPixel = gray ? TiffBitsPerPixel.Bit8 : TiffBitsPerPixel.Bit24,
        PhotometricInterpretation = gray ? TiffPhotometricInterpretation.BlackIsZero : TiffPhotometricInterpretation.Rgb,
    };

    /// <summary>
    /// Fills an image of <typeparamref name="TPixel"/> row by row through ImageSharp's own conversion (which
    /// clamps to [0,1] and rounds to the nearest level). A gray source's gray is the mean of the model's three
    /// channels, whether the format stores gray or RGB: the model tints edges faintly, which would colour a black and
    /// white scan written as WebP or BMP. An alpha the format cannot hold is flattened onto white, as image editors
    /// export to JPEG: under transparent pixels lies the colour of their nearest visible neighbours (spread there for
    /// the model), which would turn a cut-out into a solid block.
    /// </summary>
    private static Image<TPixel> Build<TPixel>(UpscaledImage source, bool alpha)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        var planar = source.Pixels;
        var image = new Image<TPixel>(SupportedFormats.Configuration, planar.Width, planar.Height);
        var r = planar.Data.AsMemory(0, planar.PlaneLength);
        var g = planar.Data.AsMemory(planar.PlaneLength, planar.PlaneLength);
        var b = planar.Data.AsMemory(2 * planar.PlaneLength, planar.PlaneLength);
        var a = source.Alpha;
        bool gray = source.Traits.IsGray;
        image.ProcessPixelRows(rows =>
        {
            var vectors = new Vector4[rows.Width];
            for (int y = 0; y < rows.Height; y++)
            {
                int offset = y * rows.Width;
                for (int x = 0; x < vectors.Length; x++)
                {
                    int i = offset + x;
                    var colour = new Vector3(r.Span[i], g.Span[i], b.Span[i]);
                    if (gray)
                        colour = new Vector3((colour.X + colour.Y + colour.Z) / 3f);
                    float opacity = a is null ? 1f : Math.Clamp(a[i], 0f, 1f);
                    vectors[x] = alpha ? new Vector4(colour, opacity) : new Vector4(colour * opacity + new Vector3(1f - opacity), 1f);
                }
                PixelOperations<TPixel>.Instance.FromVector4Destructive(SupportedFormats.Configuration, vectors, rows.GetRowSpan(y), PixelConversionModifiers.Scale);
            }
        });
        return image;
    }

    /// <summary>The profiles, resolution and PNG text travel; the encoders take the rest from their settings.</summary>
    private static void CopyMetadata(ImageMetadata from, ImageMetadata to)
    {
        to.ExifProfile = from.ExifProfile;
        to.XmpProfile = from.XmpProfile;
        to.IccProfile = from.IccProfile;
        // An IPTC block without a record carries nothing, and ImageSharp 2.1's TIFF encoder writes it as a zero-length
        // entry that breaks the whole directory (found by the fuzzer): the output opened nowhere.
        to.IptcProfile = from.IptcProfile?.Values.Any() == true ? from.IptcProfile : null;
        to.HorizontalResolution = from.HorizontalResolution;
        to.VerticalResolution = from.VerticalResolution;
        to.ResolutionUnits = from.ResolutionUnits;
        var png = from.GetPngMetadata();
        to.GetPngMetadata().TextData = png.TextData;
        to.GetPngMetadata().Gamma = png.Gamma;
    }
}
