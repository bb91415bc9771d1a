namespace Swin2SR.Core.Imaging;

/// <summary>
/// Image files of kinds this module cannot read, told apart by their extension, that a folder given as input holds:
/// the folder stands for the images it can read, and an iPhone's HEIC photos or a camera's raw files left out without
/// a word would look done. Other files (sidecars, notes, thumbnails caches) are no images, and are left out unsaid.
/// </summary>
public static class UnreadImageFiles
{
    private static readonly Dictionary<string, string> s_kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        [".heic"] = "HEIC", [".heif"] = "HEIC", [".hif"] = "HEIC", [".avif"] = "AVIF", [".jxl"] = "JPEG XL",
        [".jp2"] = "JPEG 2000", [".j2k"] = "JPEG 2000", [".jpf"] = "JPEG 2000", [".psd"] = "Photoshop", [".psb"] = "Photoshop",
        [".tga"] = "TGA", [".ico"] = "icon", [".svg"] = "SVG", [".exr"] = "OpenEXR", [".hdr"] = "Radiance HDR",
        [".pbm"] = "Netpbm", [".pgm"] = "Netpbm", [".ppm"] = "Netpbm", [".pnm"] = "Netpbm",
    };

    /// <summary>What is left out, by kind and count ("12 HEIC, 3 camera raw"); null when the files hold no image of a kind left out.</summary>
    public static string? Describe(IEnumerable<string> files)
    {
        var counts = files.Select(Kind).OfType<string>().GroupBy(k => k).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        return counts.Count == 0 ? null : string.Join(", ", counts.Select(g => $"{g.Count()} {g.Key}"));
    }

    private static string? Kind(string path) =>
        s_kinds.GetValueOrDefault(Path.GetExtension(path)) ?? (UnsupportedKinds.CameraRaw(path) is not null ? "camera raw" : null);
}
