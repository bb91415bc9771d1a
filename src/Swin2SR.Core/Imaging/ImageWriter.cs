using System.Security.Cryptography;
using System.Text;
using SixLabors.ImageSharp;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// Encodes an upscaled image and puts it in place atomically: the bytes go to a hidden temp file in the
/// destination folder (same volume, so the rename is atomic) and only a complete file is renamed into place.
/// A failure (full disk, read-only folder, path too long) leaves nothing behind and names its cause.
/// </summary>
public sealed class ImageWriter
{
    private const string TemporaryExtension = ".tmp";
    private const int UniqueLength = 32;

    private readonly int _quality;

    public ImageWriter(int quality)
    {
        if (quality is < 1 or > 100)
            throw new ArgumentOutOfRangeException(nameof(quality), "Quality is 1-100.");
        _quality = quality;
    }

    /// <summary>
    /// Fails at once when the output cannot be written whatever the image: OutputPathTooLong when it, or its temp
    /// file, cannot exist on this platform; OutputNotWritable when a file stands where its folder would be (an
    /// "enhanced" file beside the inputs, a mirrored subfolder's name taken by a file).
    /// </summary>
    public static void CheckPath(string outputPath)
    {
        string temp = TemporaryPath(outputPath, new string('0', UniqueLength));
        if ((PathLimits.FindExcess(outputPath) ?? PathLimits.FindExcess(temp)) is { } excess)
            throw new ImageInputException("OutputPathTooLong", ImageErrorKind.WriteFailed, outputPath, excess);
        if (FileInPlaceOfFolder(Path.GetDirectoryName(outputPath)) is { } file)
            throw new ImageInputException(OutputFailure.NotWritableId, ImageErrorKind.WriteFailed, outputPath,
                $"'{file}' is a file, so the output folder cannot be made there: move or rename that file, or choose another -OutputDirectory");
    }

    /// <summary>The nearest existing path at or above <paramref name="folder"/> when it is a file; null when it is a folder.</summary>
    private static string? FileInPlaceOfFolder(string? folder)
    {
        for (string? path = folder; !string.IsNullOrEmpty(path); path = Path.GetDirectoryName(path))
        {
            if (Directory.Exists(path))
                return null;
            if (File.Exists(path))
                return path;
        }
        return null;
    }

    /// <summary>
    /// Fails at once (OutputTooLarge) when an output of <paramref name="width"/> x <paramref name="height"/> is
    /// larger than <paramref name="formatName"/> can hold: its encoder would write a wrong size without a word.
    /// </summary>
    /// <param name="path">The file the error names: the input, when checked before it is upscaled.</param>
    public static void CheckSize(string formatName, int width, int height, string path)
    {
        if (OutputFormats.MaxSide(formatName) is { } maxSide && Math.Max(width, height) > maxSide)
            throw new ImageInputException("OutputTooLarge", ImageErrorKind.LimitExceeded, path,
                $"the output would be {width}x{height}, and {formatName} holds at most {maxSide} pixels a side; use -Format Png for this image");
    }

    /// <summary>
    /// Fails at once (OutputTooLarge) when a TIFF output's pixels, uncompressed, would pass the 4 GB that a classic
    /// TIFF's 32-bit offsets reach (a 16-bit RGB output of 716 megapixels): the writer fails at the end of the file,
    /// so the image would be upscaled, hours on a CPU, for nothing. Checked once the input is decoded (its bit depth,
    /// gray and alpha known), before it is upscaled. Deflated, such an output might fit; but that is known only once
    /// it is written.
    /// </summary>
    /// <param name="path">The file the error names: the input, when checked before it is upscaled.</param>
    public static void CheckTiffSize(string formatName, ImageTraits traits, int width, int height, string path)
    {
        if (formatName != "TIFF")
            return;
        long bytes = (long)width * height * OutputEncoding.BytesPerPixel(traits, formatName);
        if (bytes > uint.MaxValue)
            throw new ImageInputException("OutputTooLarge", ImageErrorKind.LimitExceeded, path,
                $"the TIFF output would be {width}x{height} of {OutputEncoding.BytesPerPixel(traits, formatName)} bytes a pixel, {bytes / 1e9:0.00} GB uncompressed, "
                + "more than the 4.29 GB a TIFF file can hold (its offsets are 32-bit), and whether it deflates to less is known only once it is written, "
                + "after the upscaling: use -Format Png for this image");
    }

    /// <param name="replaceExisting">
    /// False when the output did not exist as the run began (or must not be overwritten): a file that appears
    /// there meanwhile, from another input with the same output name, is kept and this write fails with
    /// OutputCollision, so that no output silently replaces another.
    /// </param>
    public void Write(UpscaledImage upscaled, string formatName, string outputPath, CancellationToken cancellation, bool replaceExisting = true)
    {
        CheckPath(outputPath);
        CheckSize(formatName, upscaled.Pixels.Width, upscaled.Pixels.Height, outputPath);
        var (image, encoder) = OutputEncoding.Prepare(upscaled, formatName, _quality);
        using (image)
        {
            string temp = TemporaryPath(outputPath, Guid.NewGuid().ToString("N"));
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
                {
                    Encode(image, encoder, formatName, stream);
                    stream.Flush(flushToDisk: true);
                }
                cancellation.ThrowIfCancellationRequested();
                FileReplacement.Move(temp, outputPath, overwrite: replaceExisting);
            }
            catch (IOException e) when (!replaceExisting && File.Exists(outputPath))
            {
                throw OutputFailure.Collision(e, outputPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw OutputFailure.Describe(e, outputPath);
            }
            finally
            {
                TryDelete(temp);
            }
        }
    }

    /// <summary>
    /// ImageSharp 2.1 writes no ICC profile into PNG or WebP: a PNG gets its iCCP chunk inserted after IHDR on the
    /// way out; a WebP (compressed, if lossless then about PNG's size) is encoded in memory and gets its ICCP chunk before it is written.
    /// Nor does it write a TIFF's EXIF and GPS directories: they are appended to the written file (<paramref name="stream"/> is read back).
    /// </summary>
    private static void Encode(Image image, SixLabors.ImageSharp.Formats.IImageEncoder encoder, string formatName, Stream stream)
    {
        var icc = image.Metadata.IccProfile?.ToByteArray();
        if (icc is null || formatName is not ("PNG" or "Webp"))
        {
            image.Save(stream, encoder);
            if (formatName == "TIFF")
                TiffExifDirectories.Append(stream, image.Metadata.ExifProfile);
            return;
        }
        if (formatName == "PNG")
        {
            image.Save(new InsertingStream(stream, PngIccProfile.AfterHeader, PngIccProfile.CreateChunk(icc)), encoder);
            return;
        }
        using var webp = new MemoryStream();
        image.Save(webp, encoder);
        stream.Write(WebpIccProfile.Embed(webp.ToArray(), icc, image.Width, image.Height));
    }

    /// <summary>
    /// ".name.&lt;32 hex&gt;.tmp" beside the output; a name too long to take the extra characters is replaced by a
    /// hash of itself, so the temp file fits wherever the output fits.
    /// </summary>
    private static string TemporaryPath(string outputPath, string unique) =>
        Path.Combine(Path.GetDirectoryName(outputPath)!, TemporaryPrefix(outputPath) + unique + TemporaryExtension);

    private static string TemporaryPrefix(string outputPath)
    {
        string name = Path.GetFileName(outputPath);
        if (PathLimits.Length(name) + 2 + UniqueLength + TemporaryExtension.Length <= PathLimits.MaxNameLength)
            return $".{name}.";
        return $".swin2sr-{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..16]}.";
    }

    /// <summary>
    /// Whether <paramref name="fileName"/> is a temp file of a write of <paramref name="outputPath"/> (any write's:
    /// the unique part is not compared). Matched by hand: a '*' or '?' in a file name would be a wildcard to a listing's pattern.
    /// </summary>
    internal static bool IsTemporaryFileOf(string fileName, string outputPath)
    {
        string prefix = TemporaryPrefix(outputPath);
        return fileName.Length == prefix.Length + UniqueLength + TemporaryExtension.Length
            && fileName.StartsWith(prefix, StringComparison.Ordinal) && fileName.EndsWith(TemporaryExtension, StringComparison.Ordinal);
    }

    /// <summary>The pattern that lists every temp file of a folder (and perhaps files of other programs, which <see cref="IsTemporaryFileOf"/> tells apart).</summary>
    internal const string TemporaryFilePattern = "*" + TemporaryExtension;

    internal static void TryDelete(string path)
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
}
