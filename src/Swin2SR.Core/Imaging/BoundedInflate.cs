using System.IO.Compression;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// Inflates a zlib stream no further than a limit: a few kilobytes of a crafted file can hold gigabytes of zeros,
/// so compressed metadata is read with a cap wherever it is read.
/// </summary>
internal static class BoundedInflate
{
    /// <summary>
    /// Inflates <paramref name="zlib"/> into <paramref name="into"/> (or only counts, when null), stopping as soon as
    /// more than <paramref name="limit"/> bytes came out.
    /// </summary>
    /// <returns>How many bytes came out (over the limit: it was exceeded); whether the stream ended whole, not damaged.</returns>
    public static (long Length, bool Whole) Run(Stream zlib, long limit, Stream? into = null)
    {
        using var inflater = new ZLibStream(zlib, CompressionMode.Decompress);
        var buffer = new byte[1 << 16];
        long length = 0;
        try
        {
            int read;
            while (length <= limit && (read = inflater.Read(buffer)) > 0)
            {
                length += read;
                into?.Write(buffer, 0, read);
            }
            return (length, true);
        }
        // Damaged data is InvalidDataException; a header asking for a preset dictionary (which PNG never uses), and the
        // other codes zlib returns, is ZLibException, an IOException (found by the fuzzer). The stream is in memory:
        // no other IOException comes from it.
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return (length, false);
        }
    }
}
