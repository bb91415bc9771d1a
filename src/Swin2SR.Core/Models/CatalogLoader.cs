namespace Swin2SR.Core.Models;

/// <summary>
/// Reads a catalog from a file or from an http(s) address (a company mirror publishes its own catalog that
/// points at its own copies of the models).
/// </summary>
public static class CatalogLoader
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    public static bool IsUrl(string source) =>
        Uri.TryCreate(source, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    public static ModelCatalog Load(string source, CancellationToken cancellation = default) =>
        ModelCatalog.Parse(IsUrl(source) ? Download(source, cancellation) : ReadFile(source), source);

    private static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelCatalogException(path, e is FileNotFoundException or DirectoryNotFoundException ? "the file does not exist" : e.Message, e, unreadable: true);
        }
    }

    private static string Download(string url, CancellationToken cancellation)
    {
        using var http = new HttpClient { Timeout = s_timeout };
        try
        {
            using var response = http.GetAsync(url, cancellation).GetAwaiter().GetResult();
            if (!response.IsSuccessStatusCode)
                throw new ModelCatalogException(url, $"the server answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}", unreadable: true);
            return response.Content.ReadAsStringAsync(cancellation).GetAwaiter().GetResult();
        }
        catch (HttpRequestException e)
        {
            // A request that was canceled may fail as a broken connection: it was stopped, not unreachable.
            cancellation.ThrowIfCancellationRequested();
            throw new ModelCatalogException(url, $"cannot download it: {e.Message}", e, unreadable: true);
        }
        catch (TaskCanceledException e) when (!cancellation.IsCancellationRequested)
        {
            throw new ModelCatalogException(url, $"no answer within {s_timeout.TotalSeconds:0} s", e, unreadable: true);
        }
    }
}
