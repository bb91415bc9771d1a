namespace Swin2SR.Core.Imaging;

/// <summary>
/// Names the kinds of file people most often bring that the decoders cannot read, so that the error says what the
/// file is and what to do, not only that it is not a supported image.
/// </summary>
internal static class UnsupportedKinds
{
    /// <summary>Camera raw files are TIFF inside, but the image a TIFF decoder finds there is the small preview.</summary>
    private static readonly HashSet<string> s_cameraRawExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".3fr", ".arw", ".cr2", ".cr3", ".crw", ".dng", ".erf", ".iiq", ".kdc", ".mef", ".mos", ".mrw", ".nef", ".nrw",
        ".orf", ".pef", ".raf", ".raw", ".rw2", ".rwl", ".sr2", ".srf", ".srw", ".x3f",
    };

    private static readonly byte[][] s_heifBrands = [.. new[] { "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1" }.Select(System.Text.Encoding.ASCII.GetBytes)];

    public const string Generic = "not a supported image (PNG, JPEG, WebP, BMP, TIFF or GIF expected)";

    /// <summary>Why a camera raw file is refused, by its extension; null for other files.</summary>
    public static string? CameraRaw(string path) =>
        s_cameraRawExtensions.Contains(Path.GetExtension(path))
            ? "it is a camera raw file: what a decoder finds in it is the small embedded preview, not the photo; develop it to TIFF, PNG or JPEG first"
            : null;

    /// <summary>
    /// The files that tools and systems keep beside photos, by name: a listing of a folder with Get-ChildItem -File hands
    /// them in with the photos, and "not a supported image" said nothing of what they are or how to leave them out.
    /// </summary>
    private static string? Companion(string path)
    {
        string name = Path.GetFileName(path);
        string? what = name.EndsWith(":Zone.Identifier", StringComparison.OrdinalIgnoreCase)
            ? "the note Windows keeps of where a file was downloaded from, copied out as a file of its own (into WSL, onto a share, out of an archive)"
            : name.ToLowerInvariant() switch
            {
                "thumbs.db" => "Windows' cache of the folder's thumbnails",
                "desktop.ini" => "Windows' settings of the folder",
                _ => Path.GetExtension(name).ToLowerInvariant() switch
                {
                    ".xmp" => "an XMP sidecar, the metadata Lightroom, darktable and others keep beside a photo",
                    ".json" => "JSON text, such as the metadata Google Takeout keeps beside each photo",
                    ".aae" => "an iPhone's sidecar of a photo's edits",
                    _ => null,
                },
            };
        return what is null ? null
            : $"it is {what}, not an image; leave such files out: give the folder itself, which stands for the images in it, " +
              "or list only images (Get-ChildItem -Recurse -Include *.jpg, *.jpeg, *.png, *.webp, *.tif, *.tiff)";
    }

    /// <summary>What <paramref name="path"/>, which no supported decoder recognised, is, by its name or its first bytes (<paramref name="data"/>), with what to do.</summary>
    public static string Describe(string path, ReadOnlySpan<byte> data) => Companion(path) ?? Describe(data);

    /// <summary>What a file that no supported decoder recognised is, in words, with what to do; <see cref="Generic"/> when unknown.</summary>
    public static string Describe(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 12 && data[4..8].SequenceEqual("ftyp"u8))
        {
            // An ISO media file: its ftyp box, a few dozen bytes, names the brands it follows (AVIF files list mif1 too).
            var brands = data[8..Math.Min(data.Length, 64)];
            if (brands.IndexOf("avif"u8) >= 0 || brands.IndexOf("avis"u8) >= 0)
                return "it is an AVIF image, which this module cannot read; convert it to PNG, JPEG or WebP first";
            foreach (var brand in s_heifBrands)
            {
                if (brands.IndexOf(brand) >= 0)
                    return "it is a HEIC/HEIF image (as iPhones save photos), which this module cannot read; convert it to JPEG or PNG first";
            }
        }
        if (data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0x0A]) || data.StartsWith((ReadOnlySpan<byte>)[0, 0, 0, 0x0C, (byte)'J', (byte)'X', (byte)'L', (byte)' ']))
            return "it is a JPEG XL image, which this module cannot read; convert it to PNG or JPEG first";
        if (data.StartsWith("8BPS"u8))
            return "it is a Photoshop document (PSD); export it as PNG or TIFF first";
        if (data.StartsWith("%PDF-"u8))
            return "it is a PDF document, not an image; export its pages as PNG or TIFF first";
        if (IsSvg(data))
            return "it is an SVG drawing: it has no pixels to upscale; render it at the size you need instead";
        if (IsHtml(data))
            return "it is a web page (HTML), not an image: a download saved the server's error or login page under the image's name; download the image again";
        if (data.StartsWith("version https://git-lfs.github.com/spec/"u8))
            return "it is a Git LFS pointer, not the image: the repository was cloned or copied without its LFS files; run git lfs pull in it first";
        return Generic;
    }

    /// <summary>Text whose first kilobyte opens with an HTML doctype or html element, whatever their case.</summary>
    private static bool IsHtml(ReadOnlySpan<byte> data)
    {
        string text = System.Text.Encoding.UTF8.GetString(data[..Math.Min(data.Length, 1024)]).TrimStart('\uFEFF').TrimStart();
        return text.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase) || text.StartsWith("<html", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>XML text whose first kilobyte opens an svg element.</summary>
    private static bool IsSvg(ReadOnlySpan<byte> data)
    {
        var head = data[..Math.Min(data.Length, 1024)];
        var text = head.TrimStart((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF, (byte)' ', (byte)'\t', (byte)'\r', (byte)'\n']);
        return text.StartsWith("<"u8) && head.IndexOf("<svg"u8) >= 0;
    }
}
