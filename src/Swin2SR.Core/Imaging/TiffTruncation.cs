namespace Swin2SR.Core.Imaging;

/// <summary>
/// Finds a TIFF cut short (an interrupted copy or download) before ImageSharp decodes it: ImageSharp 2.1 reads the
/// strips or tiles missing from the end of the file as black, and a file cut before its directory (which most
/// writers put after the pixels) failed as "the image header is damaged (Sequence contains no elements)".
/// </summary>
internal static class TiffTruncation
{
    private const ushort StripOffsetsTag = 273, StripByteCountsTag = 279, TileOffsetsTag = 324, TileByteCountsTag = 325;
    private const string Truncated = "the file is truncated";

    /// <summary>Why the first page does not fit in the file, or null.</summary>
    public static string? Find(ReadOnlySpan<byte> data)
    {
        if (TiffStructure.FirstDirectoryClaim(data) is not { } directory)
            return null;
        if (!directory.Whole)
            return directory.Offset >= (ulong)data.Length
                ? $"its directory is said to start at byte {directory.Offset}, past the end of the {data.Length}-byte file ({Truncated})"
                : $"its directory at byte {directory.Offset} does not fit in the {data.Length}-byte file ({Truncated} or damaged)";
        return PastEnd(data, StripOffsetsTag, StripByteCountsTag, "strip") ?? PastEnd(data, TileOffsetsTag, TileByteCountsTag, "tile");
    }

    /// <summary>Why a first page whose values (other than where its strips or tiles lie) run past the end of the file cannot be read, or null.</summary>
    public static string? FindCutValues(ReadOnlySpan<byte> data) =>
        TiffStructure.FirstPageTagPastEnd(data) is { } tag
            ? $"the values of its tag {tag} lie past the end of the {data.Length}-byte file ({Truncated} or damaged)"
            : null;

    private static string? PastEnd(ReadOnlySpan<byte> data, ushort offsetsTag, ushort countsTag, string piece)
    {
        var offsets = TiffStructure.FirstPageValues(data, offsetsTag, out bool offsetsPastEnd);
        var counts = TiffStructure.FirstPageValues(data, countsTag, out bool countsPastEnd);
        if (offsetsPastEnd || countsPastEnd)
            return $"the list of where its {piece}s lie runs past the end of the {data.Length}-byte file ({Truncated})";
        if (offsets is null || counts is null)
            return null;
        for (int i = 0; i < Math.Min(offsets.Length, counts.Length); i++)
            if (offsets[i] > (ulong)data.Length || counts[i] > (ulong)data.Length - offsets[i])
                return $"its image data runs past the end of the {data.Length}-byte file ({piece} {i + 1} of {offsets.Length} ends at byte {(UInt128)offsets[i] + counts[i]}: {Truncated})";
        return null;
    }
}
