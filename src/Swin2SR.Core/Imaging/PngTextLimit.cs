namespace Swin2SR.Core.Imaging;

/// <summary>
/// Bounds the compressed text of a PNG before ImageSharp inflates it: a zTXt or iTXt chunk of a few hundred kilobytes
/// can hold gigabytes of zeros, and ImageSharp 2.1 inflates every one into a string while it decodes (an 8x8 image
/// with 400 MB of zTXt took 33 s and 3 GB). Real text and XMP metadata is kilobytes.
/// </summary>
internal static class PngTextLimit
{
    /// <summary>The most text all compressed chunks of one file may inflate to.</summary>
    public const int MaxInflatedBytes = 16 << 20;

    /// <summary>Null when the compressed text inflates to no more than <see cref="MaxInflatedBytes"/>; otherwise why the file is refused.</summary>
    public static string? FindExcess(byte[] png)
    {
        long budget = MaxInflatedBytes;
        foreach (var chunk in PngChunks.List(png))
        {
            if (CompressedText(png, chunk) is not { } compressed)
                continue;
            var (offset, length) = compressed.GetOffsetAndLength(png.Length);
            // A broken stream counts what it inflated before it broke: the decoder would inflate that much too.
            budget -= BoundedInflate.Run(new MemoryStream(png, offset, length, writable: false), budget).Length;
            if (budget < 0)
                return $"its compressed text metadata ({chunk.Type}) inflates to more than {MaxInflatedBytes >> 20} MB (a decompression bomb)";
        }
        return null;
    }

    /// <summary>Where the zlib stream of a zTXt chunk, or of an iTXt chunk with its compression flag set, lies.</summary>
    private static Range? CompressedText(byte[] png, PngChunks.Chunk chunk)
    {
        var (offset, length) = chunk.Data.GetOffsetAndLength(png.Length);
        var data = png.AsSpan(offset, length);
        int keywordEnd = data.IndexOf((byte)0);
        if (keywordEnd < 0)
            return null;
        if (chunk.Type == "zTXt")
            return keywordEnd + 2 <= length ? new Range(offset + keywordEnd + 2, offset + length) : null; // keyword, NUL, compression method
        if (chunk.Type != "iTXt" || keywordEnd + 3 > length || data[keywordEnd + 1] != 1)
            return null;
        // keyword, NUL, compression flag, method, language tag, NUL, translated keyword, NUL, text
        int language = keywordEnd + 3;
        int languageEnd = data[language..].IndexOf((byte)0);
        int translatedEnd = languageEnd < 0 ? -1 : data[(language + languageEnd + 1)..].IndexOf((byte)0);
        return translatedEnd < 0 ? null : new Range(offset + language + languageEnd + 1 + translatedEnd + 1, offset + length);
    }

}
