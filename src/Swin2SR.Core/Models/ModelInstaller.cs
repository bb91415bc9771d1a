using System.Net;
using Swin2SR.Core.Inference;

namespace Swin2SR.Core.Models;

/// <summary>
/// Installs catalog models into a <see cref="ModelStore"/>: learns which bytes to expect (the catalog's SHA-256,
/// else the digest the hub publishes for the file), downloads into a hidden partial file, resumes it with HTTP
/// Range when the connection breaks (and starts over when the server ignores the range), verifies the SHA-256,
/// and only then renames the file into place. Whatever fails, no partial file ever stands under a model's name.
/// The partial file is kept only where resuming it later can help: after a broken connection or a passing server
/// error (503 and the like), while offline, or on cancellation; the next installation of the same file resumes it.
/// Every other failure deletes it, except when another installation holds it (it is that one's download).
/// </summary>
public sealed class ModelInstaller : IDisposable
{
    private readonly ModelStore _store;
    private readonly ModelInstallerOptions _options;
    private readonly ModelDownloadClient _client;

    public ModelInstaller(ModelStore store, ModelInstallerOptions? options = null)
    {
        _store = store;
        _options = options ?? new ModelInstallerOptions();
        _client = new ModelDownloadClient(_options.ConnectTimeout, _options.ResponseTimeout);
    }

    /// <summary>
    /// Installs <paramref name="entry"/>, or returns the installed model unchanged when it is already there, still
    /// the file that was verified, and <paramref name="force"/> is false. With <paramref name="force"/> the new file replaces the old one only
    /// once verified, so a failed reinstall keeps the model that was there.
    /// </summary>
    public async Task<InstalledModel> InstallAsync(CatalogEntry entry, bool force, Action<DownloadProgress>? progress, CancellationToken cancellation)
    {
        if (!force && IntactInstalled(entry.Name) is { } installed)
            return installed;
        CreateStoreDirectory(entry.Name);
        using var claim = InstallClaim.Take(entry.Name, _store.LockPath(entry.Name));
        // The installation that held the claim a moment ago may have installed it.
        if (!force && IntactInstalled(entry.Name) is { } justInstalled)
            return justInstalled;

        var expected = await ExpectedFileAsync(entry, cancellation).ConfigureAwait(false);
        var part = new PartialDownload(entry.Name, _store.PartPath(entry.Name, expected.Sha256!));
        _store.DeleteOtherParts(entry.Name, part.Path);
        try
        {
            await DownloadAsync(entry, expected, part, force, progress, cancellation).ConfigureAwait(false);
            long size = Verify(entry, expected, part);
            var verified = entry with
            {
                Sha256 = expected.Sha256,
                SizeBytes = size,
                Revision = expected.Commit ?? entry.Revision,
                Pinned = entry.Pinned || expected.Commit is not null,
            };
            // Without the catalog's digest the hub vouched for the model, and is asked for its weights files' too.
            var dataFiles = await DownloadDataFilesAsync(verified, part.Path, askHub: entry.Sha256 is null, force, progress, cancellation).ConfigureAwait(false);
            return Commit(verified, part, dataFiles);
        }
        catch (ModelInstallException e) when (!CanResumeLater(e.Error))
        {
            part.Delete();
            throw;
        }
    }

    /// <summary>
    /// Downloads the files the verified model at <paramref name="modelFile"/> keeps its weights in (ONNX external
    /// data: models over 2 GB, and some exports), from beside the model's address, into hidden partial files that
    /// resume like the model's. Each must hold every byte the graph reads from it; its SHA-256 is recorded, so a
    /// changed weights file is found as a changed model file is. The hub's digest is checked where it states one.
    /// </summary>
    private async Task<IReadOnlyList<VerifiedDataFile>> DownloadDataFilesAsync(CatalogEntry entry, string modelFile, bool askHub, bool force,
        Action<DownloadProgress>? progress, CancellationToken cancellation)
    {
        IReadOnlyList<ExternalDataFile> named;
        try
        {
            named = ExternalDataFiles.Read(modelFile);
        }
        catch (RefusedLocationException e)
        {
            throw new ModelInstallException(ModelInstallError.DataFileRefused, entry.Name, e.Message, e);
        }
        catch (InvalidDataException)
        {
            return []; // the digest vouches for the file; whether it loads is the run's to say, as for any model
        }
        foreach (var data in named)
        {
            if (ModelStore.DataFileConflict(entry.Name, data.Location) is { } conflict)
                throw new ModelInstallException(ModelInstallError.DataFileRefused, entry.Name, conflict);
        }
        var verified = new List<VerifiedDataFile>();
        foreach (var data in named)
        {
            var url = new Uri(entry.Url, Uri.EscapeDataString(data.Location));
            var part = new PartialDownload(entry.Name, _store.DataPartPath(entry.Name, data.Location));
            try
            {
                var published = askHub ? await _client.ReadMetadataAsync(entry.Name, url, cancellation).ConfigureAwait(false) : new HubFileMetadata(null, null, null);
                var expected = new ExpectedFile(published.Sha256, published.SizeBytes, null, $"{url.Host} (X-Linked-Etag)");
                await DownloadAsync(entry with { Url = url }, expected, part, force, progress, cancellation).ConfigureAwait(false);
                verified.Add(VerifyDataFile(entry.Name, url, data, expected, part));
            }
            catch (ModelInstallException e)
            {
                // As the model's partial file: kept only where resuming helps, the weights files verified before it too.
                if (!CanResumeLater(e.Error))
                {
                    part.Delete();
                    verified.ForEach(done => File.Delete(done.VerifiedPath));
                }
                throw new ModelInstallException(e.Error, entry.Name, $"its weights file '{data.Location}' ({url}), which its graph names: {e.Reason}", e);
            }
        }
        return verified;
    }

    private static VerifiedDataFile VerifyDataFile(string model, Uri url, ExternalDataFile data, ExpectedFile expected, PartialDownload part)
    {
        long size = part.Length;
        if (size < data.RequiredBytes)
            throw new ModelInstallException(ModelInstallError.DataFileRefused, model,
                $"it has {size:N0} bytes, but the model's graph reads up to byte {data.RequiredBytes:N0}; it was deleted");
        string actual = part.ComputeSha256();
        if (expected.Sha256 is not null && actual != expected.Sha256)
            throw new ModelInstallException(ModelInstallError.HashMismatch, model,
                $"the file downloaded from {url} has SHA-256 {actual}, but {expected.Source} states {expected.Sha256}{WebPageNote(part)}; it was deleted");
        return new VerifiedDataFile(data.Location, part.Path, size, actual);
    }

    // A model file that changed after it was installed is not that model: installing it again repairs it.
    private InstalledModel? IntactInstalled(string name) =>
        _store.Find(name) is { } installed && _store.ChangeSinceInstall(name) is null ? installed : null;

    // InProgress: the partial file is another installation's, still being written.
    private static bool CanResumeLater(ModelInstallError error) => error is ModelInstallError.ConnectionDropped or ModelInstallError.Offline or ModelInstallError.InProgress;

    private void CreateStoreDirectory(string model)
    {
        try
        {
            Directory.CreateDirectory(_store.Directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelInstallException(ModelInstallError.WriteFailed, model, $"cannot create the model folder '{_store.Directory}': {e.Message}", e);
        }
    }

    /// <summary>The digest to verify against; a file that nobody vouches for is not installed.</summary>
    private async Task<ExpectedFile> ExpectedFileAsync(CatalogEntry entry, CancellationToken cancellation)
    {
        if (entry.Sha256 is not null)
            return new ExpectedFile(entry.Sha256, entry.SizeBytes, null, "the catalog");
        var published = await _client.ReadMetadataAsync(entry.Name, entry.Url, cancellation).ConfigureAwait(false);
        if (published.Sha256 is null)
            throw new ModelInstallException(ModelInstallError.HashUnavailable, entry.Name, entry.Url.IsFile
                ? $"the catalog has no sha256 for it, and a file ('{entry.Url.LocalPath}') cannot vouch for itself; a file that cannot be verified is not installed"
                : $"the catalog has no sha256 for it and {entry.Url.Host} publishes none (no X-Linked-Etag header); a file that cannot be verified is not installed");
        return new ExpectedFile(published.Sha256, entry.SizeBytes ?? published.SizeBytes, published.Commit, $"{entry.Url.Host} (X-Linked-Etag)");
    }

    private async Task DownloadAsync(CatalogEntry entry, ExpectedFile expected, PartialDownload part, bool force, Action<DownloadProgress>? progress, CancellationToken cancellation)
    {
        var meter = new TransferMeter();
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await DownloadOnceAsync(entry, expected, part, meter, progress, cancellation).ConfigureAwait(false);
                return;
            }
            catch (ModelInstallException e) when (e.Error == ModelInstallError.ConnectionDropped)
            {
                if (attempt >= _options.MaxRetries)
                    throw new ModelInstallException(ModelInstallError.ConnectionDropped, entry.Name,
                        $"{e.Reason}, and it still failed after {_options.MaxRetries} resume(s); the {part.Length} byte(s) received are kept in '{part.Path}' and the next Install-Swin2SRModel {entry.Name}{(force ? " -Force" : "")} resumes from there", e);
                await Task.Delay(_options.RetryDelay * (attempt + 1), cancellation).ConfigureAwait(false);
            }
        }
    }

    private async Task DownloadOnceAsync(CatalogEntry entry, ExpectedFile expected, PartialDownload part, TransferMeter meter,
        Action<DownloadProgress>? progress, CancellationToken cancellation)
    {
        long offset = part.Length;
        if (expected.SizeBytes is long size && offset >= size)
        {
            if (offset == size)
                return; // complete from an earlier session; verification decides
            part.Delete();
            offset = 0;
        }
        RequireSpace(entry.Name, expected.SizeBytes - offset);

        using var response = await _client.GetAsync(entry.Name, entry.Url, offset, cancellation).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The server has nothing after our bytes: either they are the whole file, or they are not this file.
            if (part.ComputeSha256() == expected.Sha256)
                return;
            part.Delete();
            throw new ModelInstallException(ModelInstallError.ConnectionDropped, entry.Name, "the server refused to resume the partial download; starting over");
        }

        long start = 0;
        long? total = response.Content.Headers.ContentLength ?? expected.SizeBytes;
        if (response.StatusCode == HttpStatusCode.PartialContent)
        {
            var range = response.Content.Headers.ContentRange;
            if (range?.From != offset)
            {
                part.Delete();
                throw new ModelInstallException(ModelInstallError.HttpError, entry.Name,
                    $"asked for the bytes from {offset} on, {entry.Url.Host} sent a range starting at {range?.From?.ToString() ?? "(none)"}");
            }
            start = offset;
            total = range.Length ?? expected.SizeBytes ?? start + response.Content.Headers.ContentLength;
        }
        // A 200 answer is the whole file: the server ignored the range, so the download starts over.
        meter.StartAt(start);
        RequireSpace(entry.Name, total - start);

        await using var body = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
        await part.ReceiveAsync(body, start, total, meter, progress, _options.ReadIdleTimeout, cancellation).ConfigureAwait(false);
        if (total is long expectedTotal && part.Length < expectedTotal)
            throw new ModelInstallException(ModelInstallError.ConnectionDropped, entry.Name,
                $"the connection closed after {part.Length} of {expectedTotal} bytes");
    }

    private void RequireSpace(string model, long? bytes)
    {
        if (bytes is long needed && DiskSpace.Available(_store.Directory) is long free && free < needed)
            throw new ModelInstallException(ModelInstallError.DiskFull, model,
                $"it needs {needed:N0} bytes but the disk that holds '{_store.Directory}' has {free:N0} free; free some space or set {ModelStore.EnvironmentVariable} to a folder on another disk");
    }

    private static long Verify(CatalogEntry entry, ExpectedFile expected, PartialDownload part)
    {
        long size = part.Length;
        string actual = part.ComputeSha256();
        if (actual == expected.Sha256)
            return size;
        string sizes = expected.SizeBytes is long want && want != size ? $" ({size:N0} bytes received, {want:N0} expected)" : "";
        throw new ModelInstallException(ModelInstallError.HashMismatch, entry.Name,
            $"the file downloaded from {entry.Url} has SHA-256 {actual}, but {expected.Source} states {expected.Sha256}{sizes}{WebPageNote(part)}; it was deleted");
    }

    // A digest alone does not tell an operator behind a proxy that the proxy answered instead of the server.
    private static string WebPageNote(PartialDownload part) => part.IsWebPage()
        ? ". It is a web page, not a model: a proxy's sign-in or error page, or a mirror's page for a file it does not have"
        : "";

    private InstalledModel Commit(CatalogEntry verified, PartialDownload part, IReadOnlyList<VerifiedDataFile> dataFiles)
    {
        try
        {
            return _store.Commit(verified, part.Path, DateTimeOffset.UtcNow, dataFiles);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var error = e is IOException io && DiskSpace.IsDiskFull(io) ? ModelInstallError.DiskFull : ModelInstallError.WriteFailed;
            throw new ModelInstallException(error, verified.Name, $"cannot move the verified file into '{_store.Directory}': {e.Message}", e);
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>The file an installation must end with, and who said so (for the error message).</summary>
    /// <param name="Sha256">Null only for a weights file that nobody states a digest for: the model's graph says how long it must be.</param>
    private sealed record ExpectedFile(string? Sha256, long? SizeBytes, string? Commit, string Source);
}
