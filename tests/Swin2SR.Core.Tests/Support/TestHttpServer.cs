using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Swin2SR.Core.Tests.Support;

/// <summary>
/// A real HTTP/1.1 server on 127.0.0.1 (one request per connection), small enough to misbehave on purpose:
/// it can ignore Range, cut a body half-way, answer like the Hugging Face hub (a 302 carrying X-Linked-Etag), or
/// send a body without Content-Length. Unknown paths get 404. Every request is recorded for the assertions.
/// </summary>
internal sealed class TestHttpServer : IDisposable
{
    private const string CdnPrefix = "/cdn";
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<string, ServedFile> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public TestHttpServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public Uri Url(string path) => new($"http://127.0.0.1:{Port}{path}");

    public void Serve(string path, ServedFile file) => _files[path] = file;

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToList();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(client));
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var (method, path, headers) = await ReadHeadAsync(stream);
                headers.TryGetValue("Range", out string? range);
                var request = new RecordedRequest(method, path, range);
                _requests.Enqueue(request);
                await RespondAsync(stream, request);
                client.Client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                // The client hung up first (it had what it wanted, or timed out): nothing to answer.
            }
        }
    }

    private async Task RespondAsync(NetworkStream stream, RecordedRequest request)
    {
        bool viaCdn = request.Path.StartsWith(CdnPrefix + "/", StringComparison.Ordinal);
        string path = viaCdn ? request.Path[CdnPrefix.Length..] : request.Path;
        if (!_files.TryGetValue(path, out var file))
        {
            await WriteHeadAsync(stream, 404, "Not Found", new() { ["Content-Length"] = "0" });
            return;
        }
        var hubHeaders = new Dictionary<string, string>();
        if (file.LinkedEtag is not null)
            hubHeaders["X-Linked-Etag"] = $"\"{file.LinkedEtag}\"";
        if (file.LinkedSize is long linkedSize)
            hubHeaders["X-Linked-Size"] = linkedSize.ToString();
        if (file.RepoCommit is not null)
            hubHeaders["X-Repo-Commit"] = file.RepoCommit;
        if (file.RedirectLikeHub && !viaCdn)
        {
            hubHeaders["Location"] = CdnPrefix + path;
            hubHeaders["Content-Length"] = "0";
            await WriteHeadAsync(stream, 302, "Found", hubHeaders);
            return;
        }

        byte[] content = file.Content;
        long from = file.SupportsRange ? ParseRangeStart(request.Range) : 0;
        var headers = viaCdn ? new Dictionary<string, string>() : hubHeaders;
        if (file.SupportsRange)
            headers["Accept-Ranges"] = "bytes";
        if (from >= content.Length && from > 0)
        {
            headers["Content-Range"] = $"bytes */{content.Length}";
            headers["Content-Length"] = "0";
            await WriteHeadAsync(stream, 416, "Range Not Satisfiable", headers);
            return;
        }
        if (request.Range is not null && request.Method == "GET" && file.TakeUnavailable())
        {
            await WriteHeadAsync(stream, 503, "Service Unavailable", new() { ["Content-Length"] = "0" });
            return;
        }
        var body = content.AsMemory((int)from);
        if (file.SendContentLength)
            headers["Content-Length"] = body.Length.ToString();
        if (from > 0)
            headers["Content-Range"] = $"bytes {from}-{content.Length - 1}/{content.Length}";
        await WriteHeadAsync(stream, from > 0 ? 206 : 200, from > 0 ? "Partial Content" : "OK", headers);
        if (request.Method == "HEAD")
            return;
        if (file.TakeDrop())
            body = body[..Math.Min(file.DropAfterBytes, body.Length)];
        await stream.WriteAsync(body);
    }

    private static long ParseRangeStart(string? range)
    {
        // Only the form clients send to resume: "bytes=N-".
        if (range is null || !range.StartsWith("bytes=", StringComparison.Ordinal) || !range.EndsWith('-'))
            return 0;
        return long.Parse(range["bytes=".Length..^1]);
    }

    private static async Task WriteHeadAsync(NetworkStream stream, int status, string reason, Dictionary<string, string> headers)
    {
        var head = new StringBuilder($"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n");
        foreach (var (name, value) in headers)
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
    }

    private static async Task<(string Method, string Path, Dictionary<string, string> Headers)> ReadHeadAsync(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 4 || !(bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0)
                throw new IOException("the client closed the connection before the end of its request");
            bytes.Add(one[0]);
        }
        var lines = Encoding.ASCII.GetString(bytes.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var requestLine = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            int colon = line.IndexOf(':');
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        return (requestLine[0], requestLine[1], headers);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _accepting.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}

/// <summary>What the server answers for one path.</summary>
internal sealed class ServedFile(byte[] content)
{
    private int _dropsLeft;
    private int _unavailableLeft;

    public byte[] Content { get; } = content;

    /// <summary>False: Range is ignored and every GET answers 200 with the whole file.</summary>
    public bool SupportsRange { get; init; } = true;

    /// <summary>False: the body ends when the connection closes (no Content-Length).</summary>
    public bool SendContentLength { get; init; } = true;

    /// <summary>The first <see cref="Drops"/> GET bodies stop after this many bytes and the connection closes.</summary>
    public int DropAfterBytes { get; init; }

    public int Drops
    {
        get => _dropsLeft;
        init => _dropsLeft = value;
    }

    /// <summary>Answer HEAD and GET with a 302 to /cdn/... carrying the X-Linked-* headers, as the hub does for LFS files.</summary>
    public bool RedirectLikeHub { get; init; }

    public string? LinkedEtag { get; init; }
    public long? LinkedSize { get; init; }
    public string? RepoCommit { get; init; }

    /// <summary>The first <see cref="Unavailable"/> resumes (GET with Range) are answered 503, as a busy CDN does.</summary>
    public int Unavailable
    {
        get => _unavailableLeft;
        init => _unavailableLeft = value;
    }

    public bool TakeDrop() => Interlocked.Decrement(ref _dropsLeft) >= 0;

    public bool TakeUnavailable() => Interlocked.Decrement(ref _unavailableLeft) >= 0;
}

internal sealed record RecordedRequest(string Method, string Path, string? Range);
