namespace Swin2SR.Core.Imaging;

/// <summary>
/// Where a file's EXIF block lies: the TIFF structure (byte order, directories) that ImageSharp parses into its EXIF
/// profile, in a JPEG's APP1 segment, a PNG's eXIf chunk or a WebP's EXIF chunk, without the "Exif\0\0" header some
/// writers put before it. Read from the file itself where ImageSharp's profile is wrong or loses something.
/// </summary>
internal static class ExifBlock
{
    /// <summary>The block's bytes; null when the file has none this can find (a TIFF's tags are its own structure).</summary>
    public static Range? Find(string formatName, ReadOnlySpan<byte> file)
    {
        Range? block = formatName switch
        {
            "JPEG" => JpegStructure.FindExif(file),
            "PNG" => PngChunks.Find(file, "eXIf"),
            "Webp" => WebpStructure.FindChunk(file, "EXIF"),
            _ => null,
        };
        if (block is not { } range)
            return null;
        var (start, length) = range.GetOffsetAndLength(file.Length);
        return file.Slice(start, length).StartsWith(JpegStructure.ExifHeader) ? new Range(start + JpegStructure.ExifHeader.Length, start + length) : range;
    }
}
