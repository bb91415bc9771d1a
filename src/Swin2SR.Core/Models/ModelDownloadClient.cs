using System.Net;
using System.Net.Http.Headers;

namespace Swin2SR.Core.Models;

/// <summary>
/// The HTTP side of an installation: the hub's metadata for a file (HEAD) and ranged downloads (GET). Redirects
/// are followed here rather than by HttpClient, because the hub's metadata headers sit on the redirect itself and
/// the Range header must go to every hop. Failures become <see cref="ModelInstallException"/>s that say whether
/// the server cannot be reached at all (no point retrying) or the connection broke (worth resuming).
/// </summary>
internal sealed class ModelDownloadClient : IDisposable
{
    private const int MaxRedirects = 10;
    private readonly HttpClient _http;
    private readonly TimeSpan _responseTimeout;

    public ModelDownloadClient(TimeSpan connectTimeout, TimeSpan responseTimeout)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            // Ranges count bytes of the file itself, so the body must arrive exactly as stored.
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = connectTimeout,
        };
        _responseTimeout = responseTimeout;
        _http = new HttpClient(handler) { Timeout = responseTimeout };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Swin2SR.PowerShell", typeof(ModelDownloadClient).Assembly.GetName().Version?.ToString(3)));
    }

    /// <summary>The hub's statement of the file's digest, size and commit; empty for a server that makes none, and for a file.</summary>
    public async Task<HubFileMetadata> ReadMetadataAsync(string model, Uri url, CancellationToken cancellation)
    {
        if (url.IsFile)
            return new HubFileMetadata(null, null, null);
        for (int hop = 0; hop <= MaxRedirects; hop++)
        {
            using var response = await SendAsync(model, HttpMethod.Head, url, 0, cancellation).ConfigureAwait(false);
            var metadata = HubFileMetadata.From(response);
            if (metadata.Sha256 is not null || response.IsSuccessStatusCode)
                return metadata;
            url = IsRedirect(response) ? NextHop(url, response) : throw StatusError(model, url, response);
        }
        throw TooManyRedirects(model, url);
    }

    /// <summary>
    /// GET from <paramref name="offset"/> on (a Range request when it is not 0). Returns the answer with its body
    /// unread: 206 (the range), 200 (the whole file: the server ignored the range) or 416 (nothing left to send).
    /// </summary>
    public async Task<HttpResponseMessage> GetAsync(string model, Uri url, long offset, CancellationToken cancellation)
    {
        if (url.IsFile)
            return LocalFile.Get(model, url, offset);
        for (int hop = 0; hop <= MaxRedirects; hop++)
        {
            var response = await SendAsync(model, HttpMethod.Get, url, offset, cancellation).ConfigureAwait(false);
            if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
                return response;
            using (response)
                url = IsRedirect(response) ? NextHop(url, response) : throw StatusError(model, url, response);
        }
        throw TooManyRedirects(model, url);
    }

    private async Task<HttpResponseMessage> SendAsync(string model, HttpMethod method, Uri url, long offset, CancellationToken cancellation)
    {
        var request = new HttpRequestMessage(method, url);
        if (offset > 0)
            request.Headers.Range = new RangeHeaderValue(offset, null);
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw Classify(model, url, e);
        }
        catch (TaskCanceledException e) when (!cancellation.IsCancellationRequested)
        {
            throw new ModelInstallException(ModelInstallError.ConnectionDropped, model,
                $"{url.Host} did not answer within {_responseTimeout.TotalSeconds:0} s", e);
        }
    }

    private static ModelInstallException Classify(string model, Uri url, HttpRequestException e) => e.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError =>
            new ModelInstallException(ModelInstallError.Offline, model, $"cannot reach {url.GetLeftPart(UriPartial.Authority)}{Through(url)} ({e.Message}); check the network, a proxy, or use a catalog that points at a reachable mirror", e),
        _ => new ModelInstallException(ModelInstallError.ConnectionDropped, model, $"the connection to {url.Host} failed: {e.Message}", e),
    };

    // The handler goes through HttpClient.DefaultProxy (HTTPS_PROXY, HTTP_PROXY and NO_PROXY; on Windows the system
    // setting too). A proxy that cannot be reached fails with the proxy's address, so the message names it.
    private static string Through(Uri url) =>
        HttpClient.DefaultProxy.GetProxy(url) is { } proxy && !HttpClient.DefaultProxy.IsBypassed(url)
            ? $" through the proxy {proxy.GetLeftPart(UriPartial.Authority)}"
            : "";

    private static bool IsRedirect(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect
        && response.Headers.Location is not null;

    private static Uri NextHop(Uri url, HttpResponseMessage response) => new(url, response.Headers.Location!);

    private static ModelInstallException StatusError(string model, Uri url, HttpResponseMessage response)
    {
        string status = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            return new ModelInstallException(ModelInstallError.NotFound, model, $"the server has no file at {url} ({status})");
        // A busy or failing server (a CDN's 503, a gateway's 502) says nothing about the bytes already received:
        // retried and, if it persists, kept for the next installation like a broken connection.
        return IsTransient(response.StatusCode)
            ? new ModelInstallException(ModelInstallError.ConnectionDropped, model, $"{url} answered {status}")
            : new ModelInstallException(ModelInstallError.HttpError, model, $"{url} answered {status}");
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private static ModelInstallException TooManyRedirects(string model, Uri url) =>
        new(ModelInstallError.HttpError, model, $"more than {MaxRedirects} redirects, the last to {url}");

    public void Dispose() => _http.Dispose();
}
