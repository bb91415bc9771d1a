using System.Numerics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata.Profiles.Icc;
using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>
/// A camera set to Adobe RGB marks its photo in EXIF only (ColorSpace Uncalibrated, InteroperabilityIndex "R03"), and
/// ImageSharp 2.1 writes no interoperability directory: its outputs carry an Adobe RGB (1998) profile instead, in each
/// format, which colour-managed readers honour; an sRGB-marked photo or one with its own profile gets none.
/// </summary>
public sealed class AdobeRgbCameraPhotoTests : IDisposable
{
    private const ushort Srgb = 1, NonStandardAdobeRgb = 2, Uncalibrated = 0xFFFF;

    private readonly TempFolder _folder = new();
    private readonly ImageLoader _loader = new(ImageLimits.Default);

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("JPEG", "JPEG")]
    [InlineData("JPEG", "PNG")]
    [InlineData("JPEG", "Webp")]
    [InlineData("TIFF", "TIFF")]
    public void An_Adobe_RGB_marked_photo_s_output_carries_an_Adobe_RGB_profile(string inputFormat, string outputFormat)
    {
        string input = inputFormat == "TIFF" ? AdobeRgbTiff() : CameraJpeg(Uncalibrated, "R03");

        var profile = OutputProfile(input, outputFormat) ?? throw new Xunit.Sdk.XunitException("the output has no ICC profile");

        Assert.Equal(("mntr", "RGB "), IccTags.Kind(profile));
        // Adobe RGB (1998)'s colorants under D50, as Adobe's own profile states them, and its gamma of 563/256.
        AssertNear(new Vector3(0.6097f, 0.3111f, 0.0195f), IccTags.Xyz(profile, "rXYZ"));
        AssertNear(new Vector3(0.2053f, 0.6257f, 0.0609f), IccTags.Xyz(profile, "gXYZ"));
        AssertNear(new Vector3(0.1492f, 0.0632f, 0.7446f), IccTags.Xyz(profile, "bXYZ"));
        Assert.Equal([563 / 256f, 563 / 256f, 563 / 256f], new[] { "rTRC", "gTRC", "bTRC" }.Select(curve => IccTags.Gamma(profile, curve)));
    }

    [Fact]
    public void Only_the_Adobe_RGB_marks_together_bring_the_profile()
    {
        (ushort ColourSpace, string Index)[] marks = [(Uncalibrated, "R03"), (Srgb, "R98"), (Uncalibrated, "R98"), (Srgb, "R03")];

        var descriptions = marks.Select(m => Description(OutputProfile(CameraJpeg(m.ColourSpace, m.Index), "JPEG")));

        Assert.Equal([AdobeRgbProfile.Description, "none", "none", "none"], descriptions);
    }

    /// <summary>
    /// ColorSpace 2 is not in the EXIF standard, but some cameras and editors write it for Adobe RGB, and exiftool
    /// names it "Adobe RGB" and darktable reads it so, whatever the interoperability index.
    /// </summary>
    [Fact]
    public void The_non_standard_ColorSpace_2_marks_Adobe_RGB_too()
    {
        string[] indexes = ["R03", "R98"];

        var descriptions = indexes.Select(index => Description(OutputProfile(CameraJpeg(NonStandardAdobeRgb, index), "JPEG")));

        Assert.Equal([AdobeRgbProfile.Description, AdobeRgbProfile.Description], descriptions);
    }

    [Fact]
    public void A_marked_photo_s_own_profile_is_kept()
    {
        byte[] own = FixtureImages.IccProfile("Camera's own");

        string[] descriptions = [Description(OutputProfile(CameraJpeg(Uncalibrated, "R03", own), "JPEG")), Description(OutputProfile(CameraJpeg(Uncalibrated, "R03"), "JPEG"))];

        Assert.Equal(["Camera's own", AdobeRgbProfile.Description], descriptions);
    }

    /// <summary>A colour JPEG whose EXIF block holds the marks given, and <paramref name="profile"/> where one is given.</summary>
    private string CameraJpeg(ushort colourSpace, string index, byte[]? profile = null)
    {
        using var image = FixtureImages.Pattern(8, 6, FixtureImages.Colour);
        if (profile is not null)
            image.Metadata.IccProfile = new IccProfile(profile);
        string path = _folder.File($"camera-{colourSpace}-{index}-{profile is null}.jpg");
        File.WriteAllBytes(path, HandMadeExif.InFile("JPEG", image, HandMadeExif.WithDcfColourSpace(colourSpace, index)));
        return path;
    }

    /// <summary>A TIFF whose first page points to an EXIF directory with the Adobe RGB marks, as a camera's TIFF has them.</summary>
    private string AdobeRgbTiff()
    {
        const ushort exifPointer = 34665;
        var tiff = HandMadeTiff.Rgb(8, 6, (x, y) => FixtureImages.Colour(x, y).Rgb, planar: false, extraTags: [(exifPointer, 0)]);
        string path = _folder.File("camera.tif");
        File.WriteAllBytes(path, HandMadeTiff.WithDirectoryPointer(tiff, exifPointer, at => HandMadeExif.DcfDirectories(at, Uncalibrated, "R03")));
        return path;
    }

    /// <summary>The ICC profile of <paramref name="input"/>'s output as <paramref name="format"/>, read as other readers find it; null for none.</summary>
    private byte[]? OutputProfile(string input, string format)
    {
        var loaded = _loader.Load(input, 2);
        string output = _folder.File($"{Path.GetFileNameWithoutExtension(input)}-out.{format.ToLowerInvariant()}");
        new ImageWriter(90).Write(new UpscaledImage(loaded.Pixels, null, loaded.Traits, loaded.Metadata), format, output, CancellationToken.None);
        switch (format)
        {
            case "PNG":
                return PngIccProfile.Read(File.ReadAllBytes(output));
            case "TIFF":
                // ImageSharp keeps a TIFF's profile with its first page.
                using (var tiff = Image.Load<Rgb24>(output))
                    return tiff.Frames.RootFrame.Metadata.IccProfile?.ToByteArray();
            default:
                return Image.Identify(output).Metadata.IccProfile?.ToByteArray();
        }
    }

    private static string Description(byte[]? profile) => profile is null ? "none" : IccTags.Description(profile);

    private static void AssertNear(Vector3 expected, Vector3 actual) =>
        Assert.True(Vector3.Distance(expected, actual) < 0.0005f, $"expected {expected}, got {actual}");
}
