using System.Net;
using System.Net.Http.Headers;

namespace Swin2SR.Core.Models;

/// <summary>
/// A catalog entry's file on a disk or a share (an offline machine's copy of a mirror), answered as a server
/// answers a ranged GET, so that it is resumed, verified and installed exactly as a download is.
/// </summary>
internal static class LocalFile
{
    /// <summary>200 with the whole file, 206 with the bytes from <paramref name="offset"/> on, or 416 when none are left.</summary>
    public static HttpResponseMessage Get(string model, Uri url, long offset)
    {
        string path = url.LocalPath;
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, useAsync: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ModelInstallException(ModelInstallError.NotFound, model, $"there is no file '{path}'", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A share that is not mounted now may be later: kept as an unreachable server's download is.
            throw new ModelInstallException(ModelInstallError.Offline, model, $"cannot read '{path}': {e.Message}", e);
        }
        long length = file.Length;
        if (offset > 0 && offset >= length)
        {
            file.Dispose();
            return new HttpResponseMessage(HttpStatusCode.RequestedRangeNotSatisfiable);
        }
        file.Position = offset;
        var content = new StreamContent(file);
        content.Headers.ContentLength = length - offset;
        if (offset == 0)
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        content.Headers.ContentRange = new ContentRangeHeaderValue(offset, length - 1, length);
        return new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = content };
    }
}
