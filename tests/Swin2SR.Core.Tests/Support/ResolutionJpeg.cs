using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.Metadata.Profiles.Xmp;

namespace Swin2SR.Core.Tests.Support;

/// <summary>An 8x6 JPEG that states one resolution in all three places a reader may look: JFIF, EXIF and XMP.</summary>
internal static class ResolutionJpeg
{
    /// <param name="xmp">The XMP packet, which should state the same resolution (as the test needs it written).</param>
    /// <param name="orientation">An EXIF orientation, or none.</param>
    public static byte[] Encode(double across, double down, string xmp, ushort? orientation = null)
    {
        using var image = FixtureImages.Pattern(8, 6, FixtureImages.Colour);
        image.Metadata.ResolutionUnits = PixelResolutionUnit.PixelsPerInch;
        (image.Metadata.HorizontalResolution, image.Metadata.VerticalResolution) = (across, down);
        image.Metadata.ExifProfile = new ExifProfile();
        if (orientation is { } turned)
            image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, turned);
        image.Metadata.ExifProfile.SetValue(ExifTag.XResolution, new Rational(across));
        image.Metadata.ExifProfile.SetValue(ExifTag.YResolution, new Rational(down));
        image.Metadata.XmpProfile = new XmpProfile(Encoding.UTF8.GetBytes(xmp));
        return FixtureImages.Encode(image, new JpegEncoder());
    }
}
