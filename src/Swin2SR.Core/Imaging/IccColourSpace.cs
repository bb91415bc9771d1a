namespace Swin2SR.Core.Imaging;

/// <summary>
/// The kind of pixel data an ICC profile describes: its data colour space, header bytes 16-19 ('RGB ', 'GRAY',
/// 'CMYK', 'Lab '...). A profile whose colour space is not the output's pixels' makes colour-managed readers fail
/// or show wrong colours, and ImageSharp 2.1 has no colour management to convert the pixels through it.
/// </summary>
internal static class IccColourSpace
{
    private const int SignatureAt = 16, SignatureLength = 4;

    /// <summary>The signature without its padding ("RGB", "GRAY", "CMYK"); null for data too short to be a profile header.</summary>
    public static string? Of(ReadOnlySpan<byte> profile) =>
        profile.Length < SignatureAt + SignatureLength ? null : System.Text.Encoding.ASCII.GetString(profile.Slice(SignatureAt, SignatureLength)).TrimEnd(' ', '\0');

    /// <summary>True when the profile describes the pixels written: gray ones, or else RGB.</summary>
    public static bool Describes(ReadOnlySpan<byte> profile, bool grayPixels) => Of(profile) == (grayPixels ? "GRAY" : "RGB");
}
