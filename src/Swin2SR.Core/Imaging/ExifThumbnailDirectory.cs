using SixLabors.ImageSharp.Metadata.Profiles.Exif;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// ImageSharp 2.1 reads an EXIF block's second directory (IFD1, the thumbnail's) only to find the thumbnail, but the
/// values of it that do not fit in their entries (XResolution and YResolution, rationals) land among the main
/// image's: a JPEG with a thumbnail came out with XResolution twice in IFD0, its own 300 and then the thumbnail's
/// 72, which readers such as Pillow take. The block is read again from the file with its link to IFD1 cut
/// (thumbnails are not carried to outputs anyway).
/// </summary>
internal static class ExifThumbnailDirectory
{
    /// <summary>The file's EXIF profile without the thumbnail's directory; null when it has none (or no EXIF block this can find).</summary>
    public static ExifProfile? MainImageOnly(string formatName, ReadOnlySpan<byte> file)
    {
        if (ExifBlock.Find(formatName, file) is not { } block)
            return null;
        var exif = file[block];
        return TiffStructure.WithoutLaterDirectories(exif) is { } unlinked ? new ExifProfile(unlinked) : null;
    }
}
