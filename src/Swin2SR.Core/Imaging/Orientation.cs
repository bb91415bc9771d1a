using SixLabors.ImageSharp.Metadata.Profiles.Exif;

namespace Swin2SR.Core.Imaging;

/// <summary>EXIF orientation facts needed before decoding (the upright size, for limits and planning).</summary>
internal static class Orientation
{
    /// <summary>Orientations 5-8 rotate by 90 degrees, so the upright image swaps width and height.</summary>
    public static (int Width, int Height) UprightSize(int width, int height, ExifProfile? exif)
    {
        var value = exif?.GetValue(ExifTag.Orientation)?.Value ?? 1;
        return value is >= 5 and <= 8 ? (height, width) : (width, height);
    }
}
