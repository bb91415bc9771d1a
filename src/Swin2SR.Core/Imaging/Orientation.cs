using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.Processing;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// The EXIF/TIFF orientation (tag 274): how the stored pixels must be turned to stand upright. ImageSharp 2.1 reads
/// it from the image's EXIF profile only; a TIFF has none, its tags stay in the first frame's metadata (and are not
/// reported by identify at all), so a TIFF's orientation is read from its first directory here.
/// </summary>
internal static class Orientation
{
    private const ushort Tag = 274, Upright = 1;

    /// <summary>The orientation the file declares: 1 (upright) when it declares none or a value outside 1-8.</summary>
    public static ushort Stored(string formatName, ReadOnlySpan<byte> data, ExifProfile? exif)
    {
        uint? value = formatName == "TIFF" ? TiffStructure.FirstPageValue(data, Tag) : exif?.GetValue(ExifTag.Orientation)?.Value;
        return value is >= 1 and <= 8 ? (ushort)value : Upright;
    }

    /// <summary>Orientations 5-8 rotate by 90 degrees, so the upright image swaps width and height.</summary>
    public static (int Width, int Height) UprightSize(int width, int height, ushort orientation) =>
        orientation >= 5 ? (height, width) : (width, height);

    /// <summary>
    /// Turns the pixels upright. AutoOrient takes the orientation from the image's EXIF profile only, so it is lent
    /// one that holds <paramref name="orientation"/>; the image's own profile is put back as it was (the output's
    /// orientation is reset to 1 when it is written).
    /// </summary>
    public static void MakeUpright(Image image, ushort orientation)
    {
        if (orientation == Upright)
            return;
        var own = image.Metadata.ExifProfile;
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, orientation);
        image.Mutate(x => x.AutoOrient());
        image.Metadata.ExifProfile = own;
    }
}
