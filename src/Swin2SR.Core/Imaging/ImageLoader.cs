using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Metadata.Profiles.Icc;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// Reads one file into planar float RGB: the whole file is read once; its format is told from its first bytes;
/// its container is checked against its length (ImageSharp would otherwise allocate what a damaged WebP chunk
/// header claims, or fill a truncated JPEG with grey); its header is identified and the size limits checked
/// before any pixel buffer exists; it is decoded at 16 bits per channel (so 16-bit sources keep their
/// precision), turned upright by its EXIF (or TIFF) orientation, and split into colour, alpha and what the writer needs
/// (<see cref="ImageTraits"/>, metadata). Every problem is an <see cref="ImageInputException"/> naming the file.
/// </summary>
public sealed class ImageLoader
{
    private readonly ImageLimits _limits;

    /// <summary>One lossless WebP decode at a time per loader (per run): see <see cref="WebpStructure.UsesLosslessCoding"/>.</summary>
    private readonly SemaphoreSlim _losslessWebp = new(1);

    public ImageLoader(ImageLimits limits) => _limits = limits;

    /// <summary>Checks the file as <see cref="Load"/> does, short of decoding: the format and the upright size.</summary>
    public ImageHeader Identify(string path, int scale) => Identify(ReadAll(path, out _, scale), path, scale);

    /// <summary><see cref="Identify(string, int)"/> for bytes already read (<see cref="Read"/>).</summary>
    public ImageHeader Identify(byte[] data, string path, int scale)
    {
        var (info, format, decoderData, laidOut) = Inspect(data, path, scale);
        var (w, h) = Orientation.UprightSize(info.Width, info.Height, Orientation.Stored(format.Name, data, DamagedExif.Readable(info.Metadata.ExifProfile)));
        return new ImageHeader(w, h, format.Name) { Format = format, DecoderData = decoderData, LaidOutBytes = laidOut };
    }

    /// <summary>
    /// The file's bytes, within the input size limit, for <see cref="Identify(byte[], string, int)"/> and
    /// <see cref="Decode(byte[], string, ImageHeader)"/>, and which version of the file the bytes are (taken as it was opened, before reading).
    /// A file whose header states a size over the limits for x<paramref name="scale"/> is refused before the rest
    /// of it is read (<see cref="ImageHeaderSize"/>).
    /// </summary>
    public byte[] Read(string path, int scale, out FileVersion version) => ReadAll(path, out version, scale);

    public LoadedImage Load(string path, int scale) => Decode(ReadAll(path, out _, scale), path, scale);

    /// <summary>Decodes bytes already read (<see cref="Read"/>).</summary>
    public LoadedImage Decode(byte[] data, string path, int scale) => Decode(data, path, Identify(data, path, scale));

    /// <summary>Decodes bytes already read and identified, without reading their header again (<paramref name="path"/> names them in errors).</summary>
    public LoadedImage Decode(byte[] data, string path, ImageHeader header)
    {
        var format = header.Format;
        bool serialised = format.Name == "Webp" && WebpStructure.UsesLosslessCoding(data);
        if (serialised)
            _losslessWebp.Wait();
        try
        {
            // Laid out here, not before the header is checked: a tiled page is laid out at the size the limits allowed.
            var decoderData = format.Name == "TIFF" ? TiledTiff.InStrips(header.DecoderData) ?? header.DecoderData : header.DecoderData;
            var grayAlpha = format.Name == "TIFF" ? GrayAlphaTiff.Read(decoderData) : null;
            using var image = Image.Load<Rgba64>(SupportedFormats.Configuration, grayAlpha?.GrayFile ?? decoderData);
            grayAlpha?.Apply(image);
            if (format.Name == "JPEG")
                JpegChromaSmoothing.Smooth(image, data);
            if (format.Name == "TIFF")
                TiffJpegChroma.Smooth(image, data);
            if (format.Name == "TIFF" && MisdecodedTiff.DecodesAsNegative(data))
                image.Mutate(pixels => pixels.Invert());
            if (format.Name == "GIF")
                GifCanvas.ClearUncovered(image, data);
            if (format.Name == "TIFF")
                TiffPageMetadata.Lift(image);
            if (image.Metadata.ExifProfile is not null && ExifThumbnailDirectory.MainImageOnly(format.Name, data) is { } mainImageExif)
                image.Metadata.ExifProfile = mainImageExif;
            bool exifDropped = image.Metadata.ExifProfile is { } exif && DamagedExif.Readable(exif) is null;
            if (exifDropped)
                image.Metadata.ExifProfile = null;
            ExifResolution.AdoptWhereContainerIsSilent(format.Name, data, image.Metadata);
            string? resolutionDropped = ImplausibleResolution.Drop(image.Metadata);
            Orientation.MakeUpright(image, Orientation.Stored(format.Name, data, image.Metadata.ExifProfile));
            var (pixels, alpha) = ToPlanar(image);
            if (alpha is not null)
                TransparentColourFill.Fill(pixels, alpha);
            if (format.Name == "PNG" && PngIccProfile.Read(data) is { } icc)
                image.Metadata.IccProfile = new IccProfile(icc);
            var traits = new ImageTraits(format.Name, SourceTraits.BitDepth(image, format), SourceTraits.IsGray(image, format), alpha is not null,
                IsLosslessWebp: format.Name == "Webp" && WebpStructure.IsLossless(data));
            // Only for colour pixels: a gray output could not carry an RGB profile.
            if (!traits.IsGray)
                DcfColourSpace.AdoptProfile(format.Name, data, image.Metadata);
            var metadata = image.Metadata.DeepClone();
            var warnings = Warnings(format, data);
            string?[] noted = [exifDropped ? DamagedExif.Warning : null, resolutionDropped, format.Name == "TIFF" ? UntaggedTiffAlpha.Find(data) : null,
                format.Name == "TIFF" ? WideTiffSamples.Find(data) : null];
            return new LoadedImage(pixels, alpha, traits, metadata, [.. warnings, .. noted.OfType<string>()]);
        }
        catch (Exception e) when (e is not (ImageInputException or OperationCanceledException))
        {
            throw Corrupt(path, format, data, e);
        }
        finally
        {
            if (serialised)
                _losslessWebp.Release();
        }
    }

    /// <summary>Everything short of decoding, in the order that keeps a hostile file from costing anything.</summary>
    private (IImageInfo Info, IImageFormat Format, byte[] DecoderData, long LaidOutBytes) Inspect(byte[] data, string path, int scale)
    {
        if (data.Length == 0)
            throw Empty(path);
        if (UnsupportedKinds.CameraRaw(path) is { } raw)
            throw Unsupported(path, raw);
        var format = Image.DetectFormat(SupportedFormats.Configuration, data) ?? throw Unsupported(path, UnsupportedKinds.Describe(path, data));
        if (FindDamage(format, data) is { } damage)
            throw new ImageInputException("CorruptImage", ImageErrorKind.InvalidData, path, damage);
        if (format.Name == "Webp" && WebpStructure.IsAnimated(data))
            throw Unsupported(path, "it is an animated WebP, which this decoder (ImageSharp 2.1) cannot read; save a frame of it as a still image");
        if (format.Name == "TIFF" && MisdecodedTiff.FindReason(data) is { } misdecoded)
            throw Unsupported(path, misdecoded);
        byte[] decoderData = ForDecoder(format, data);
        var info = IdentifyHeader(decoderData, path, format, data);
        long laidOut = format.Name == "TIFF" ? TiledTiff.LaidOutBytes(decoderData) + GrayAlphaTiff.LaidOutBytes(decoderData) : 0;
        CheckLimits(path, info.Width, info.Height, scale, laidOut);
        // Inflating the image data costs as much as the size the header claims: only a size within the limits. A
        // header claiming a size over them is named as such, not as a file too short for it.
        if (FindCut(format, data) is { } cut)
            throw new ImageInputException("CorruptImage", ImageErrorKind.InvalidData, path, cut + StillBeingWritten(path));
        return (info, format, decoderData, laidOut);
    }

    /// <summary>How recently a file cut short must have been written to be taken for one still arriving.</summary>
    private static readonly TimeSpan RecentWrite = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A file cut short that was written moments ago is more likely still being copied, downloaded or synced into the
    /// folder (a run over a share that a client fills) than damaged: said so, as upscaling it later will work.
    /// </summary>
    private static string StillBeingWritten(string path)
    {
        var age = DateTime.UtcNow - File.GetLastWriteTimeUtc(path);
        return age >= TimeSpan.Zero && age < RecentWrite
            ? $"; it was written {age.TotalSeconds:0} s ago: if it is still being copied or downloaded, upscale it again once that is done"
            : "";
    }

    /// <summary>
    /// Damage the decoders would not report: truncation (grey or garbage pixels), chunk sizes past the end (huge
    /// allocations), compressed metadata that inflates to gigabytes, a directory the decoder would read without end.
    /// </summary>
    private static string? FindDamage(IImageFormat format, byte[] data) => format.Name switch
    {
        "JPEG" => JpegStructure.FindDamage(data),
        "PNG" => PngTextLimit.FindExcess(data),
        "BMP" => BmpStructure.FindDamage(data),
        "Webp" => WebpStructure.FindDamage(data),
        "TIFF" => TiffStructure.FindDamage(data),
        _ => null,
    };

    /// <summary>
    /// The bytes the decoder gets: a copy that keeps ImageSharp 2.1 from misreading the file, where it needs one
    /// (<see cref="TiffDefaults"/>, <see cref="PngColourKey"/>, <see cref="JpegStructure.WithEndMarker"/>, <see cref="BmpRunLengths"/>), else the file's own.
    /// </summary>
    private static byte[] ForDecoder(IImageFormat format, byte[] data) => format.Name switch
    {
        "TIFF" => TiffDefaults.Completed(data),
        "PNG" => PngColourKey.ForDecoder(data),
        "JPEG" => JpegStructure.WithEndMarker(data),
        "BMP" => BmpRunLengths.ForDecoder(data),
        _ => data,
    };

    /// <summary>
    /// A file cut short, found from the size its header claims (or, for a JPEG without its end marker, by following its
    /// scans' codes), which decoders would fill with black or grey.
    /// </summary>
    private static string? FindCut(IImageFormat format, byte[] data) => format.Name switch
    {
        "PNG" => PngImageData.FindDamage(data),
        "BMP" => BmpStructure.FindTruncation(data),
        "GIF" => GifFrames.FindTruncation(data),
        "JPEG" => JpegStructure.FindCut(data),
        _ => null,
    };

    /// <summary>What decoding the first frame or page leaves out (the decoders are set to read only that), or what the file lacks that was not needed.</summary>
    private static IReadOnlyList<string> Warnings(IImageFormat format, byte[] data) => format.Name switch
    {
        "GIF" when GifFrames.IsAnimated(data) => ["it is an animated GIF: only its first frame is upscaled"],
        "PNG" when PngChunks.IsAnimated(data) => ["it is an animated PNG: only its first frame is upscaled"],
        "TIFF" when TiffStructure.Count(data) is > 1 and var pages =>
            [$"it is a TIFF of {pages}{(pages >= TiffStructure.MaxCounted ? " or more" : "")} pages: only its first page is upscaled"],
        "JPEG" when JpegStructure.LacksEndMarker(data) => [JpegStructure.EndMarkerMissingWarning],
        "JPEG" when MultiPicture.Frames(data) is > 1 and var frames =>
            [$"it is a multi-picture (MPO) file of {frames} images (a stereo pair, a panorama or a multi-angle set): only its first image is upscaled"],
        _ => [],
    };

    private byte[] ReadAll(string path, out FileVersion version, int? scale = null)
    {
        using var stream = Open(path);
        long length = stream.Length;
        // Of the file opened, not of the path: a file replaced (renamed over) since keeps the version read. Taken
        // before the bytes, so that a write into the file while it is read makes a later listing differ.
        version = new FileVersion(length, new DateTimeOffset(File.GetLastWriteTimeUtc(stream.SafeFileHandle)).ToUnixTimeMilliseconds());
        if (length == 0)
            throw Empty(path);
        // Its kind is told from its first bytes before the rest is read: a video, an archive or a disk image named
        // .jpg on a share is refused without first reading up to the size limit (1.6 GB by default) into memory.
        var head = new byte[(int)Math.Min(length, HeadBytes)];
        ReadExactly(stream, head, path);
        var format = Image.DetectFormat(SupportedFormats.Configuration, head) ?? throw Unsupported(path, UnsupportedKinds.Describe(path, head));
        // Before the rest is read, and before the file's length: a scan or a poster over the limits is named for its
        // size, not for a file too long for the limit, and costs a few small reads instead of its whole length.
        if (scale is { } s && length > head.Length && ImageHeaderSize.Read(stream, format.Name) is var (width, height))
            CheckLimits(path, width, height, s);
        if (length > _limits.MaxInputBytes)
            throw new ImageInputException("ImageTooLarge", ImageErrorKind.LimitExceeded, path,
                $"the file is {length / 1e6:0.#} MB, more than an image within -MaxInputMegapixels {_limits.MaxInputMegapixels:0.#} can take ({_limits.MaxInputBytes / 1e6:0.#} MB)");
        var data = new byte[length];
        head.CopyTo(data, 0);
        ReadExactly(stream, data.AsSpan(head.Length), path);
        return data;
    }

    /// <summary>Enough of a file to tell its format (the longest header ImageSharp looks at is a few dozen bytes) and, if it is none, what it is (<see cref="UnsupportedKinds.Describe(string, ReadOnlySpan{byte})"/> reads up to a kilobyte).</summary>
    private const int HeadBytes = 4096;

    private static void ReadExactly(FileStream stream, Span<byte> buffer, string path)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, e);
        }
    }

    private static FileStream Open(string path)
    {
        if (SpecialFiles.Describe(path) is { } kind)
            throw NotAFile(path, kind);
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            if (stream.CanSeek)
                return stream;
            stream.Dispose();
            throw NotAFile(path, "a pipe or a device");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ImageInputException("InputNotFound", ImageErrorKind.NotFound, path, Missing(path), e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, e);
        }
    }

    /// <summary>
    /// Why a path that was listed names nothing to read: a symbolic link whose target is gone is listed as a file
    /// (Get-ChildItem shows it), and is not a file that was moved or deleted since; nor is a file whose name is not
    /// UTF-8 (a Latin-1 name from an old archive or a Windows share, on Linux): .NET lists each byte it cannot decode
    /// as U+FFFD, and no file has that name. (PowerShell's Get-ChildItem leaves such files out; a folder given to
    /// -Path is listed by .NET, which keeps them.)
    /// </summary>
    private static string Missing(string path)
    {
        if (path.Contains('\uFFFD'))
            return $"{(Path.GetFileName(path).Contains('\uFFFD') ? "its name" : "the name of a folder in its path")} is not valid UTF-8 (each '\uFFFD' stands "
                + "for a byte that is not), so it cannot be opened by the name .NET lists it under: rename it to UTF-8 "
                + "(convmv -f latin1 -t utf-8 --notest, for names from Windows or old archives)";
        string? target = null;
        try
        {
            target = new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return target is null
            ? "the file does not exist (was it moved or deleted after it was listed?)"
            : $"it is a symbolic link to '{target}', which does not exist";
    }

    /// <summary>Its permissions (PermissionDenied), or the disk or share (ReadError): not its content.</summary>
    private static ImageInputException Unreadable(string path, Exception e) =>
        new("InputUnreadable", e is UnauthorizedAccessException ? ImageErrorKind.AccessDenied : ImageErrorKind.ReadFailed, path, $"the file cannot be read ({e.Message})", e);

    private static ImageInputException NotAFile(string path, string kind) =>
        new("NotAFile", ImageErrorKind.NotSupported, path, $"it is {kind}, not a regular file: only image files can be upscaled");

    /// <summary>An empty file just made is a copy or an export that has begun; an older one is what a failed one leaves.</summary>
    private static ImageInputException Empty(string path) =>
        new("EmptyFile", ImageErrorKind.InvalidData, path, "the file is empty (0 bytes)" +
            (StillBeingWritten(path) is { Length: > 0 } arriving ? arriving : ", as a copy, download or export that failed leaves it: copy or export the image again"));

    /// <summary>
    /// Any failure inside a decoder is this file's problem, whatever its type: a crafted file may trip an
    /// unexpected exception in ImageSharp, and that must fail the image, not the run.
    /// </summary>
    private static ImageInputException Corrupt(string path, IImageFormat format, byte[] data, Exception e)
    {
        if (e is NotSupportedException)
            return UnsupportedVariant(path, format.Name, e, IsCmykTiff(format, data) ? ConvertCmykToRgb : IsTiledTiff(format, data) ? ReSaveInStrips : ConvertToPng);
        bool described = e is ImageFormatException or InvalidImageContentException or EndOfStreamException;
        string detail = described ? e.Message : $"{e.GetType().Name}: {e.Message}";
        return new ImageInputException("CorruptImage", ImageErrorKind.InvalidData, path,
            CutInDirectory(format, data) ?? $"the {format.Name} data is damaged or truncated ({detail})", e);
    }

    /// <summary>
    /// Why a decoder failed on a TIFF cut inside the values its directory points to (ImageSharp says "Nullable object
    /// must have a value"); null for any other file. Only asked once the decoder failed: a stray offset in a tag the
    /// decoder does not read is no reason to refuse a file.
    /// </summary>
    private static string? CutInDirectory(IImageFormat format, byte[] data) => format.Name == "TIFF" ? TiffTruncation.FindCutValues(data) : null;

    /// <param name="data">The bytes to identify, as the decoder gets them.</param>
    /// <param name="file">The file's own bytes, which tell why identifying them failed.</param>
    private static IImageInfo IdentifyHeader(byte[] data, string path, IImageFormat format, byte[] file)
    {
        IImageInfo? info;
        try
        {
            info = Image.Identify(SupportedFormats.Configuration, new MemoryStream(data, writable: false));
        }
        catch (NotSupportedException e)
        {
            throw UnsupportedVariant(path, "image", e, ConvertToPng);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ImageInputException("CorruptImage", ImageErrorKind.InvalidData, path, CutInDirectory(format, file) ?? $"the image header is damaged ({e.Message})", e);
        }
        if (info is null)
            throw Unsupported(path, UnsupportedKinds.Generic);
        if (info.Width <= 0 || info.Height <= 0)
            throw new ImageInputException("CorruptImage", ImageErrorKind.InvalidData, path, $"the header gives an impossible size {info.Width}x{info.Height}");
        return info;
    }

    /// <summary>ImageSharp says NotSupported for a variant it cannot decode (a CMYK TIFF, say): the file may well be sound.</summary>
    private static ImageInputException UnsupportedVariant(string path, string formatName, Exception e, string advice) =>
        new("UnsupportedFormat", ImageErrorKind.NotSupported, path,
            $"the file is probably sound, but this kind of {formatName} cannot be decoded ({e.Message.TrimEnd('.')}): {advice}", e);

    private const string ConvertToPng = "convert it to PNG (for example: magick input output.png) and upscale that";

    /// <summary>A tiled TIFF re-saved in strips stays a TIFF, of the same bit depth and tags, as the documentation advises.</summary>
    private const string ReSaveInStrips =
        "re-save it in strips (for example: tiffcp -s in.tif out.tif), which keeps it a TIFF with its tags and bit depth, or convert it to PNG (magick input output.png), and upscale that";

    /// <summary>
    /// A CMYK TIFF stays CMYK re-saved in strips (tiffcp -s), which the decoder refuses as well: it is converted to RGB,
    /// kept a TIFF (libtiff's tiff2rgba also lays tiles out in strips, but writes 8 bits and drops the ICC profile).
    /// </summary>
    private const string ConvertCmykToRgb =
        "convert it to RGB, which keeps it a TIFF (for example: magick in.tif -colorspace sRGB out.tif, or for an 8-bit one libtiff's tiff2rgba -n in.tif out.tif), and upscale that";

    /// <summary>Whether the first page's PhotometricInterpretation is 5, Separated (CMYK ink), which ImageSharp 2.1 does not decode in a TIFF.</summary>
    private static bool IsCmykTiff(IImageFormat format, byte[] data) => format.Name == "TIFF" && TiffStructure.FirstPageValue(data, PhotometricTag) == Separated;

    private const ushort PhotometricTag = 262;
    private const uint Separated = 5;

    /// <summary>Whether the first page is stored in tiles of a kind <see cref="TiledTiff"/> does not lay out in strips (JPEG tiles, say), which ImageSharp 2.1 does not decode.</summary>
    private static bool IsTiledTiff(IImageFormat format, byte[] data) => format.Name == "TIFF" && TiledTiff.IsTiled(data);

    private static ImageInputException Unsupported(string path, string reason) =>
        new("UnsupportedFormat", ImageErrorKind.NotSupported, path, reason);

    /// <param name="laidOutBytes">What decoding holds beside the pixels (<see cref="ImageHeader.LaidOutBytes"/>), where known.</param>
    private void CheckLimits(string path, int width, int height, int scale, long laidOutBytes = 0)
    {
        double inputMegapixels = (double)width * height / 1e6;
        if (inputMegapixels > _limits.MaxInputMegapixels)
            throw new ImageInputException("ImageTooLarge", ImageErrorKind.LimitExceeded, path,
                $"{width}x{height} is {Over(inputMegapixels, _limits.MaxInputMegapixels)} megapixels, over the limit of {Megapixels(_limits.MaxInputMegapixels)} (-MaxInputMegapixels)");
        double outputMegapixels = inputMegapixels * scale * scale;
        if (outputMegapixels > _limits.MaxOutputMegapixels)
            throw new ImageInputException("OutputTooLarge", ImageErrorKind.LimitExceeded, path,
                $"the x{scale} output would be {Over(outputMegapixels, _limits.MaxOutputMegapixels)} megapixels, over the limit of {Megapixels(_limits.MaxOutputMegapixels)} (-MaxOutputMegapixels)");
        if (ImageMemory.WhyNot(width, height, scale, _limits.MemoryBytes, _limits.ModelBytes, laidOutBytes) is { } reason)
            throw new ImageInputException(scale > 1 ? "OutputTooLarge" : "ImageTooLarge", ImageErrorKind.LimitExceeded, path, reason);
    }

    // Three significant digits below 10: a limit of 0.05 and an image of 0.064 megapixels both read "0.1" at one decimal.
    private static string Megapixels(double value) => value >= 10 ? value.ToString("0.#") : value.ToString("G3");

    /// <summary>A value over its limit, with as many digits as it takes not to read as the limit itself.</summary>
    private static string Over(double value, double limit) =>
        Megapixels(value) == Megapixels(limit) ? value.ToString("0.######") : Megapixels(value);

    /// <summary>Colour planes in [0,1], and the alpha plane only if some pixel is not fully opaque.</summary>
    private static (PlanarImage Pixels, float[]? Alpha) ToPlanar(Image<Rgba64> image)
    {
        var planar = new PlanarImage(image.Width, image.Height);
        var alpha = new float[planar.PlaneLength];
        bool translucent = false;
        const float inv = 1f / ushort.MaxValue;
        image.ProcessPixelRows(rows =>
        {
            var r = planar.Plane(0);
            var g = planar.Plane(1);
            var b = planar.Plane(2);
            for (int y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                int offset = y * rows.Width;
                for (int x = 0; x < row.Length; x++)
                {
                    var p = row[x];
                    r[offset + x] = p.R * inv;
                    g[offset + x] = p.G * inv;
                    b[offset + x] = p.B * inv;
                    alpha[offset + x] = p.A * inv;
                    translucent |= p.A != ushort.MaxValue;
                }
            }
        });
        return (planar, translucent ? alpha : null);
    }
}
