using System.Buffers;

namespace Swin2SR.Core.Models;

/// <summary>
/// The hidden <c>.part</c> file a model is downloaded into: appended to from a response body (or rewritten from
/// the start when the server ignored a resume), hashed when complete. Read failures mean the connection broke
/// (<see cref="ModelInstallError.ConnectionDropped"/>, worth resuming); write failures mean the disk
/// (<see cref="ModelInstallError.DiskFull"/> or <see cref="ModelInstallError.WriteFailed"/>).
/// </summary>
internal sealed class PartialDownload
{
    private const int BufferSize = 128 * 1024;
    private readonly string _model;

    public PartialDownload(string model, string path)
    {
        _model = model;
        Path = path;
    }

    public string Path { get; }

    public long Length => new FileInfo(Path) is { Exists: true } file ? file.Length : 0;

    public void Delete() => File.Delete(Path);

    public string ComputeSha256() => FileDigest.Sha256(Path);

    /// <summary>
    /// True when the file begins as a web page does ('&lt;' after white space or a byte order mark): what a proxy's
    /// sign-in or error page, or a mirror's page for a file it lacks, sends with 200 OK in place of the file. A
    /// model never begins so: an ONNX file is a protobuf, whose first byte is a field's tag, and 0x3C ends a group.
    /// </summary>
    public bool IsWebPage()
    {
        if (!File.Exists(Path))
            return false;
        using var file = File.OpenRead(Path);
        Span<byte> start = stackalloc byte[64];
        int read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        var text = start[..read];
        if (text.StartsWith("\uFEFF"u8))
            text = text[3..];
        text = text.TrimStart(" \t\r\n"u8);
        return text.Length > 0 && text[0] == (byte)'<';
    }

    /// <summary>Writes <paramref name="body"/> into the file from <paramref name="startAt"/> on, until the body ends.</summary>
    public async Task ReceiveAsync(Stream body, long startAt, long? total, TransferMeter meter, Action<DownloadProgress>? progress,
        TimeSpan idleTimeout, CancellationToken cancellation)
    {
        // Unbuffered, so a full disk surfaces at the write that hit it instead of at an unguarded Dispose.
        await using var file = Open();
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            Write(() => file.SetLength(startAt));
            file.Position = startAt;
            long position = startAt;
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            while (true)
            {
                int read = await ReadAsync(body, buffer, idle, idleTimeout, cancellation).ConfigureAwait(false);
                if (read == 0)
                    break;
                await WriteAsync(file, buffer.AsMemory(0, read), cancellation).ConfigureAwait(false);
                position += read;
                progress?.Invoke(meter.Measure(position, total));
            }
            // On disk before it is renamed into place: a power cut must not leave a model that was never written.
            Write(() => file.Flush(flushToDisk: true));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private FileStream Open()
    {
        try
        {
            return new FileStream(Path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None, bufferSize: 0, useAsync: true);
        }
        catch (IOException e) when (FileLock.IsHeldByAnother(e))
        {
            // The file is the other installation's: it is neither ours to delete nor a problem of the folder.
            throw new ModelInstallException(ModelInstallError.InProgress, _model,
                $"another installation of this model is downloading it into '{Path}' right now; wait for it to finish", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw WriteError(e);
        }
    }

    private async Task<int> ReadAsync(Stream body, byte[] buffer, CancellationTokenSource idle, TimeSpan idleTimeout, CancellationToken cancellation)
    {
        try
        {
            idle.CancelAfter(idleTimeout);
            return await body.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellation.IsCancellationRequested)
        {
            throw new ModelInstallException(ModelInstallError.ConnectionDropped, _model, $"no data arrived for {idleTimeout.TotalSeconds:0} s", e);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            cancellation.ThrowIfCancellationRequested();
            throw new ModelInstallException(ModelInstallError.ConnectionDropped, _model, $"the connection broke ({e.Message})", e);
        }
    }

    private async Task WriteAsync(FileStream file, ReadOnlyMemory<byte> data, CancellationToken cancellation)
    {
        try
        {
            await file.WriteAsync(data, cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw WriteError(e);
        }
    }

    private void Write(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw WriteError(e);
        }
    }

    private ModelInstallException WriteError(Exception e)
    {
        string folder = System.IO.Path.GetDirectoryName(Path)!;
        return e is IOException io && DiskSpace.IsDiskFull(io)
            ? new ModelInstallException(ModelInstallError.DiskFull, _model, $"the disk that holds '{folder}' is full ({e.Message}); free some space or set {ModelStore.EnvironmentVariable} to a folder on another disk", e)
            : new ModelInstallException(ModelInstallError.WriteFailed, _model, $"cannot write '{Path}': {e.Message}", e);
    }
}
