namespace Swin2SR.Core.Imaging;

/// <summary>What the output file is encoded as. <see cref="Same"/> keeps the input's format where we can write it.</summary>
public enum OutputFormat
{
    Same,
    Png,
    Jpeg,
    Webp,
}

internal static class OutputFormats
{
    /// <summary>
    /// The concrete format for one input. GIF is palette-based (256 colours), so a super-resolved GIF is
    /// written as PNG rather than dithered back down; BMP and TIFF stay as they are. An MPO is a JPEG (of which
    /// the first image is upscaled): it is written as one, named .jpg, since it holds one image no more.
    /// </summary>
    public static string Resolve(OutputFormat requested, string inputPath) => requested switch
    {
        OutputFormat.Png => "PNG",
        OutputFormat.Jpeg => "JPEG",
        OutputFormat.Webp => "Webp",
        _ => WrittenAs(Path.GetExtension(inputPath)) ?? (Path.GetExtension(inputPath).Equals(".mpo", StringComparison.OrdinalIgnoreCase) ? "JPEG" : "PNG"),
    };

    /// <summary>The format we write for files with this extension; null for GIF and unknown extensions.</summary>
    private static string? WrittenAs(string extension) => extension.ToLowerInvariant() switch
    {
        ".png" => "PNG",
        ".jpg" or ".jpeg" or ".jpe" or ".jfif" => "JPEG",
        ".webp" => "Webp",
        ".bmp" or ".dib" => "BMP",
        ".tif" or ".tiff" => "TIFF",
        _ => null,
    };

    /// <summary>
    /// The longest side a format can hold, or null for no limit that an output within -MaxOutputMegapixels reaches:
    /// WebP stores width and height in 14 bits, JPEG in 16. Past that, the encoders write a wrong size silently.
    /// </summary>
    public static int? MaxSide(string formatName) => formatName switch
    {
        "Webp" => 16383,
        "JPEG" => 65535,
        _ => null,
    };

    /// <summary>
    /// The file extension written for a resolved format; an input of that format keeps its own spelling (.jpeg
    /// stays .jpeg), anything else gets the format's usual one (a GIF becomes a .png).
    /// </summary>
    public static string Extension(string formatName, string inputPath)
    {
        string inputExtension = Path.GetExtension(inputPath);
        if (WrittenAs(inputExtension) == formatName)
            return inputExtension;
        return formatName switch
        {
            "JPEG" => ".jpg",
            "Webp" => ".webp",
            "BMP" => ".bmp",
            "TIFF" => ".tif",
            _ => ".png",
        };
    }
}
