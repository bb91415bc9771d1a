using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// ImageSharp 2.1 keeps a TIFF's ICC profile, XMP, IPTC and tags (Make, Artist, Copyright, and the EXIF and GPS
/// directories it follows) in the first page's frame metadata, not the image's, where every encoder looks for
/// them; and its TIFF encoder takes tags from the first frame's EXIF only. Without both moves an Adobe RGB TIFF came
/// out with no profile (its colours then read as sRGB, washed out) and without its camera, date or copyright.
/// </summary>
internal static class TiffPageMetadata
{
    /// <summary>Baseline TIFF tags that describe the picture, not how its pixels are stored.</summary>
    private static readonly HashSet<ushort> s_descriptive =
    [
        269, // DocumentName
        270, // ImageDescription
        271, // Make
        272, // Model
        285, // PageName
        305, // Software
        306, // DateTime
        315, // Artist
        316, // HostComputer
        33432, // Copyright
    ];

    /// <summary>Pointers and blobs in the EXIF tag range that are not values to carry (a profile, layers, a directory).</summary>
    private static readonly HashSet<ushort> s_notCarried =
    [
        34377, // Photoshop image resources
        34665, // EXIF directory pointer
        34675, // ICC profile (carried as the profile)
        34853, // GPS directory pointer
        37724, // Photoshop layer data
        40965, // Interoperability directory pointer
    ];

    /// <summary>Moves the first page's profiles and descriptive tags to <paramref name="image"/>'s metadata, where the output takes them from.</summary>
    public static void Lift(Image image)
    {
        var page = image.Frames.RootFrame.Metadata;
        var metadata = image.Metadata;
        metadata.IccProfile ??= page.IccProfile;
        metadata.XmpProfile ??= page.XmpProfile;
        metadata.IptcProfile ??= page.IptcProfile;
        if (metadata.ExifProfile is not null || DamagedExif.Readable(page.ExifProfile) is not { } tags)
            return;
        var exif = Keeping(tags, IsCarried);
        if (exif.Values.Count > 0)
            metadata.ExifProfile = exif;
    }

    /// <summary>
    /// Gives a TIFF output's first frame its XMP and tags, where its encoder reads them: the descriptive tags
    /// only, since it writes every tag into the page's own directory (EXIF and GPS tags there would misplace them:
    /// <see cref="TiffExifDirectories"/> appends those in directories of their own).
    /// </summary>
    public static void Place(Image image)
    {
        var page = image.Frames.RootFrame.Metadata;
        page.XmpProfile = image.Metadata.XmpProfile;
        if (image.Metadata.ExifProfile is { } source)
            page.ExifProfile = Keeping(source, s_descriptive.Contains);
    }

    /// <summary>A copy of <paramref name="source"/> with only the tags <paramref name="keep"/> accepts.</summary>
    private static ExifProfile Keeping(ExifProfile source, Func<ushort, bool> keep)
    {
        var copy = source.DeepClone();
        foreach (var value in source.Values)
        {
            if (!keep((ushort)value.Tag))
                copy.RemoveValue(value.Tag);
        }
        return copy;
    }

    /// <summary>Descriptive baseline tags, GPS tags (numbered below any TIFF tag) and EXIF tags (33434 and up).</summary>
    private static bool IsCarried(ushort tag) =>
        s_descriptive.Contains(tag) || tag < 254 || (tag >= 33434 && !s_notCarried.Contains(tag));
}
