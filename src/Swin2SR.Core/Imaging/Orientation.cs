using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.Processing;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// The EXIF/TIFF orientation (tag 274): how the stored pixels must be turned to stand upright. It is read from the
/// file's own EXIF block (a TIFF's first directory), not from ImageSharp's profile: ImageSharp 2.1 keeps an
/// Orientation stored as a SHORT, SSHORT or SLONG but drops one stored as a LONG or a BYTE (some writers do), and a
/// TIFF's tags do not reach a profile at all (identify does not report them).
/// </summary>
internal static class Orientation
{
    private const ushort Tag = 274, Upright = 1;

    /// <summary>
    /// The orientation the file declares: 1 (upright) when it declares none or a value outside 1-8, and when its EXIF
    /// profile was dropped as damaged (<paramref name="exif"/> null). Where the file's EXIF block cannot be found (an
    /// EXIF text chunk of an older PNG), the profile's value stands.
    /// </summary>
    public static ushort Stored(string formatName, ReadOnlySpan<byte> data, ExifProfile? exif)
    {
        long? value = formatName == "TIFF" ? TiffStructure.FirstPageInteger(data, Tag)
            : exif is null ? null
            : (ExifBlock.Find(formatName, data) is { } block ? TiffStructure.FirstPageInteger(data[block], Tag) : null) ?? exif.GetValue(ExifTag.Orientation)?.Value;
        return value is >= 1 and <= 8 ? (ushort)value : Upright;
    }

    /// <summary>Orientations 5-8 rotate by 90 degrees, so the upright image swaps width and height.</summary>
    private static bool TurnsQuarter(ushort orientation) => orientation >= 5;

    public static (int Width, int Height) UprightSize(int width, int height, ushort orientation) =>
        TurnsQuarter(orientation) ? (height, width) : (width, height);

    /// <summary>
    /// Turns the pixels upright, and a quarter turn's resolution with them (<see cref="TurnedResolution"/>).
    /// AutoOrient takes the orientation from the image's EXIF profile only, so it is lent one that holds
    /// <paramref name="orientation"/>; the image's own profile is put back as it was (the output's orientation is
    /// reset to 1 when it is written).
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
        if (TurnsQuarter(orientation))
            TurnedResolution.Swap(image.Metadata);
    }
}
