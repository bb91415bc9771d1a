using SixLabors.ImageSharp.Metadata.Profiles.Exif;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// ImageSharp parses an EXIF profile lazily, on the first value read, and a damaged one throws then (an
/// ArgumentOutOfRangeException from its reader, found by the fuzzer): in the middle of identification, orientation
/// or the metadata copy to the output, outside any handler meant for decoding. The loader reads the profile once,
/// up front; one that cannot be read is dropped, with a warning, since the pixels do not depend on it.
/// </summary>
internal static class DamagedExif
{
    public const string Warning = "its EXIF metadata is damaged: it was dropped, and with it any orientation";

    /// <summary>The profile when it can be read in full; null when there is none or it is damaged.</summary>
    public static ExifProfile? Readable(ExifProfile? profile)
    {
        if (profile is null)
            return null;
        try
        {
            _ = profile.Values.Count;
            return profile;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }
}
