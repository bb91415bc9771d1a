using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Swin2SR.Core.Models;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Models;

/// <summary>Installs through a real HTTP server on 127.0.0.1 into a real folder; the payload is a committed test model.</summary>
public sealed class ModelInstallerTests : IDisposable
{
    private const string Name = "test-x2";
    private static readonly byte[] Payload = File.ReadAllBytes(RepoPaths.TestModel("nearest-x2"));
    private static readonly string PayloadSha256 = Sha256(Payload);

    /// <summary>The day a change's message names for a model installed today, as it writes it under any culture.</summary>
    private static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static readonly ModelInstallerOptions Fast = new()
    {
        MaxRetries = 2,
        RetryDelay = TimeSpan.FromMilliseconds(20),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ResponseTimeout = TimeSpan.FromSeconds(10),
        ReadIdleTimeout = TimeSpan.FromSeconds(5),
    };

    private readonly TestHttpServer _server = new();
    private readonly TempFolder _temp = new();
    private readonly ModelStore _store;

    public ModelInstallerTests() => _store = new ModelStore(_temp.File("models"));

    [Fact]
    public async Task Installs_the_verified_file_and_records_where_it_came_from()
    {
        _server.Serve("/m.onnx", new ServedFile(Payload));
        var reports = new List<DownloadProgress>();

        var installed = await Install(Entry("/m.onnx"), progress: reports.Add);

        Assert.Equal(_store.ModelPath(Name), installed.Path);
        Assert.Equal(Payload, File.ReadAllBytes(installed.Path));
        Assert.Equal(PayloadSha256, installed.Entry!.Sha256);
        Assert.Equal(Payload.Length, installed.Entry.SizeBytes);
        Assert.Equal([Name + ".json", Name + ".onnx"], StoreFiles());
        Assert.Equal(Payload.Length, reports[^1].BytesReceived);
        Assert.Equal(Payload.Length, reports[^1].TotalBytes);
        Assert.Equal(installed, _store.Find(Name));
    }

    [Fact]
    public async Task Installs_a_body_that_has_no_content_length()
    {
        _server.Serve("/m.onnx", new ServedFile(Payload) { SendContentLength = false });
        var installed = await Install(Entry("/m.onnx"));
        Assert.Equal(Payload, File.ReadAllBytes(installed.Path));
    }

    [Fact]
    public async Task An_installed_model_is_left_alone_unless_forced()
    {
        _server.Serve("/m.onnx", new ServedFile(Payload));
        await Install(Entry("/m.onnx"));
        int requests = _server.Requests.Count;

        await Install(Entry("/m.onnx"));
        Assert.Equal(requests, _server.Requests.Count);

        await Install(Entry("/m.onnx"), force: true);
        Assert.Equal(requests + 1, _server.Requests.Count);
        Assert.Equal(Payload, File.ReadAllBytes(_store.ModelPath(Name)));
    }

    [Fact]
    public async Task An_installed_model_whose_bytes_changed_is_installed_again_without_Force()
    {
        _server.Serve("/m.onnx", new ServedFile(Payload));
        await Install(Entry("/m.onnx"));
        File.WriteAllBytes(_store.ModelPath(Name), Corrupted(Payload));
        Assert.Contains($"but the file installed on {Today} had {PayloadSha256}", _store.ChangeSinceInstall(Name));
        int requests = _server.Requests.Count;

        await Install(Entry("/m.onnx"));

        Assert.Equal(requests + 1, _server.Requests.Count);
        Assert.Equal(Payload, File.ReadAllBytes(_store.ModelPath(Name)));
        Assert.Null(_store.ChangeSinceInstall(Name));
    }

    [Fact]
    public async Task A_model_of_another_size_is_a_change_named_by_its_sizes()
    {
        _server.Serve("/m.onnx", new ServedFile(Payload));
        await Install(Entry("/m.onnx"));
        File.WriteAllBytes(_store.ModelPath(Name), Payload[..100]);

        Assert.Equal($"it has 100 bytes, but the file installed on {Today} had {Payload.Length:N0}", _store.ChangeSinceInstall(Name));
    }

    [Fact]
    public async Task The_day_a_change_names_is_in_the_Gregorian_calendar_under_a_culture_of_another()
    {
        _server.Serve("/m.onnx", new ServedFile(Payload));
        await Install(Entry("/m.onnx"));
        File.WriteAllBytes(_store.ModelPath(Name), Payload[..100]);
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("fa-IR"); // the Persian calendar: 2026 is 1405 there
        try
        {
            Assert.Contains($"installed on {Today} had", _store.ChangeSinceInstall(Name));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public async Task A_change_is_found_by_the_models_path_only_for_the_file_in_the_store()
    {
        _server.Serve("/m.onnx", new ServedFile(Payload));
        await Install(Entry("/m.onnx"));
        File.WriteAllBytes(_store.ModelPath(Name), Corrupted(Payload));
        string elsewhere = _temp.File(Name + ".onnx");
        File.WriteAllBytes(elsewhere, Corrupted(Payload));

        Assert.NotNull(_store.ChangeSinceInstallAt(_store.ModelPath(Name)));
        Assert.Null(_store.ChangeSinceInstallAt(elsewhere));
    }

    [Fact]
    public async Task The_same_bytes_with_a_new_time_are_no_change_and_the_new_time_is_recorded()
    {
        _server.Serve("/m.onnx", new ServedFile(Payload));
        await Install(Entry("/m.onnx"));
        string model = _store.ModelPath(Name);
        var copiedAt = new DateTime(2031, 5, 6, 7, 8, 9, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(model, copiedAt);

        Assert.Null(_store.ChangeSinceInstall(Name));

        // Recorded: a file of the same size and time is then taken as is, whatever its bytes.
        File.WriteAllBytes(model, Corrupted(Payload));
        File.SetLastWriteTimeUtc(model, copiedAt);
        Assert.Null(_store.ChangeSinceInstall(Name));
        File.SetLastWriteTimeUtc(model, copiedAt.AddSeconds(1));
        Assert.NotNull(_store.ChangeSinceInstall(Name));
    }

    [Fact]
    public async Task A_corrupted_file_is_refused_and_nothing_is_left()
    {
        _server.Serve("/m.onnx", new ServedFile(Corrupted(Payload)));

        var error = await Assert.ThrowsAsync<ModelInstallException>(() => Install(Entry("/m.onnx")));

        Assert.Equal(ModelInstallError.HashMismatch, error.Error);
        Assert.Contains(PayloadSha256, error.Message);
        Assert.Contains(Sha256(Corrupted(Payload)), error.Message);
        Assert.Empty(StoreFiles());
    }

    [Theory]
    [InlineData("<!DOCTYPE html><html><body>Sign in to the proxy</body></html>", true)]
    [InlineData("\uFEFF\r\n  <html><body>404</body></html>", true)]
    [InlineData("not the model", false)]
    public async Task A_web_page_served_in_place_of_the_model_is_named_as_one(string served, bool isPage)
    {
        _server.Serve("/m.onnx", new ServedFile(System.Text.Encoding.UTF8.GetBytes(served)));

        var error = await Assert.ThrowsAsync<ModelInstallException>(() => Install(Entry("/m.onnx")));

        Assert.Equal(ModelInstallError.HashMismatch, error.Error);
        Assert.Equal(isPage, error.Message.Contains("It is a web page, not a model: a proxy's sign-in or error page"));
        Assert.Empty(StoreFiles());
    }

    [Fact]
    public async Task A_failed_reinstall_keeps_the_model_that_was_installed()
    {
        _server.Serve("/m.onnx", new ServedFile(Payload));
        await Install(Entry("/m.onnx"));
        _server.Serve("/m.onnx", new ServedFile(Corrupted(Payload)));

        var error = await Assert.ThrowsAsync<ModelInstallException>(() => Install(Entry("/m.onnx"), force: true));

        Assert.Equal(ModelInstallError.HashMismatch, error.Error);
        Assert.Equal(Payload, File.ReadAllBytes(_store.ModelPath(Name)));
        Assert.Equal([Name + ".json", Name + ".onnx"], StoreFiles());
    }

    [Fact]
    public async Task A_broken_reinstall_says_to_resume_it_with_Force()
    {
        _server.Serve("/m.onnx", new ServedFile(Payload));
        await Install(Entry("/m.onnx"));
        _server.Serve("/m.onnx", new ServedFile(Payload) { Drops = 100, DropAfterBytes = 100 });

        var error = await Assert.ThrowsAsync<ModelInstallException>(() => Install(Entry("/m.onnx"), force: true));

        // Without -Force the model is installed, so the command the message named returned it and left the partial file.
        Assert.Equal(ModelInstallError.ConnectionDropped, error.Error);
        Assert.Contains($"the next Install-Swin2SRModel {Name} -Force resumes", error.Message);
        _server.Serve("/m.onnx", new ServedFile(Payload));
        await Install(Entry("/m.onnx"), force: true);
        Assert.Equal("bytes=300-", _server.Requests[^1].Range);
        Assert.Equal([Name + ".json", Name + ".onnx"], StoreFiles());
    }

    [Fact]
    public async Task A_missing_file_is_reported_as_not_found()
    {
        var error = await Assert.ThrowsAsync<ModelInstallException>(() => Install(Entry("/missing.onnx")));

        Assert.Equal(ModelInstallError.NotFound, error.Error);
        Assert.Contains("404", error.Message);
        Assert.Empty(StoreFiles());
    }

    [Fact]
    public async Task A_server_that_refuses_connections_is_reported_as_offline()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        int port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var entry = Entry("/m.onnx") with { Url = new Uri($"http://127.0.0.1:{port}/m.onnx") };

        var error = await Assert.ThrowsAsync<ModelInstallException>(() => Install(entry));

        Assert.Equal(ModelInstallError.Offline, error.Error);
        Assert.Contains($"127.0.0.1:{port}", error.Message);
        Assert.Empty(StoreFiles());
    }

    [Fact]
    public async Task A_dropped_connection_is_resumed_with_a_range_request()
    {
        _server.Serve("/m.onnx", new ServedFile(Payload) { Drops = 1, DropAfterBytes = 200 });

        var installed = await Install(Entry("/m.onnx"));

        Assert.Equal(Payload, File.ReadAllBytes(installed.Path));
        Assert.Equal([null, "bytes=200-"], _server.Requests.Select(r => r.Range));
    }

    [Fact]
    public async Task A_server_that_ignores_range_makes_the_download_start_over()
    {
        _server.Serve("/m.onnx", new ServedFile(Payload) { SupportsRange = false, Drops = 1, DropAfterBytes = 200 });

        var installed = await Install(Entry("/m.onnx"));

        // The resume was asked for, the whole file came back, and it replaced the 200 bytes rather than following them.
        Assert.Equal([null, "bytes=200-"], _server.Requests.Select(r => r.Range));
        Assert.Equal(Payload, File.ReadAllBytes(installed.Path));
    }

    [Fact]
    public async Task A_connection_that_keeps_dropping_fails_and_the_next_install_resumes_it()
    {
        _server.Serve("/m.onnx", new ServedFile(Payload) { Drops = 100, DropAfterBytes = 100 });

        var error = await Assert.ThrowsAsync<ModelInstallException>(() => Install(Entry("/m.onnx")));

        // One try and two resumes of 100 bytes each: 300 bytes kept, no model.
        Assert.Equal(ModelInstallError.ConnectionDropped, error.Error);
        Assert.Equal(3, _server.Requests.Count);
        var part = Assert.Single(Directory.GetFiles(_store.Directory));
        Assert.EndsWith(".part", part);
        Assert.Contains(part, error.Message);
        Assert.Equal(Payload[..300], File.ReadAllBytes(part));
        Assert.False(_store.IsInstalled(Name));

        _server.Serve("/m.onnx", new ServedFile(Payload));
        var installed = await Install(Entry("/m.onnx"));

        Assert.Equal("bytes=300-", _server.Requests[^1].Range);
        Assert.Equal(Payload, File.ReadAllBytes(installed.Path));
        Assert.Equal([Name + ".json", Name + ".onnx"], StoreFiles());
    }

    [Fact]
    public async Task A_server_error_on_resume_is_retried_and_keeps_the_bytes_received()
    {
        _server.Serve("/m.onnx", new ServedFile(Payload) { Drops = 1, DropAfterBytes = 200, Unavailable = 100 });

        var error = await Assert.ThrowsAsync<ModelInstallException>(() => Install(Entry("/m.onnx")));

        // The download and two resumes, both answered 503: the 200 bytes stay for the next installation.
        Assert.Equal(ModelInstallError.ConnectionDropped, error.Error);
        Assert.Contains("503", error.Message);
        Assert.Equal([null, "bytes=200-", "bytes=200-"], _server.Requests.Select(r => r.Range));
        var part = Assert.Single(Directory.GetFiles(_store.Directory));
        Assert.Equal(Payload[..200], File.ReadAllBytes(part));

        _server.Serve("/m.onnx", new ServedFile(Payload) { Unavailable = 1 });
        var installed = await Install(Entry("/m.onnx"));

        Assert.Equal(["bytes=200-", "bytes=200-"], _server.Requests.Skip(3).Select(r => r.Range));
        Assert.Equal(Payload, File.ReadAllBytes(installed.Path));
    }

    [Fact]
    public async Task A_canceled_download_keeps_its_bytes_and_the_next_install_finishes_from_them()
    {
        _server.Serve("/m.onnx", new ServedFile(Payload));
        using var cancel = new CancellationTokenSource();
        using (var installer = new ModelInstaller(_store, Fast))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(
                () => installer.InstallAsync(Entry("/m.onnx"), force: false, _ => cancel.Cancel(), cancel.Token));
        }
        var part = Assert.Single(Directory.GetFiles(_store.Directory));
        Assert.EndsWith(".part", part);
        Assert.False(_store.IsInstalled(Name));

        // Every byte is already there: the server answers the resume with 416 and the kept bytes are verified.
        var installed = await Install(Entry("/m.onnx"));

        Assert.Equal($"bytes={Payload.Length}-", _server.Requests[^1].Range);
        Assert.Equal(Payload, File.ReadAllBytes(installed.Path));
    }

    [Fact]
    public async Task A_partial_download_of_another_file_is_not_resumed_but_removed()
    {
        _server.Serve("/m.onnx", new ServedFile(Payload));
        Directory.CreateDirectory(_store.Directory);
        string stale = _store.PartPath(Name, new string('e', 64));
        File.WriteAllBytes(stale, Payload[..300]);

        await Install(Entry("/m.onnx"));

        Assert.False(File.Exists(stale));
        Assert.Equal([null], _server.Requests.Select(r => r.Range));
        Assert.Equal([Name + ".json", Name + ".onnx"], StoreFiles());
    }

    [Fact]
    public async Task Without_a_catalog_digest_the_hubs_published_digest_is_verified()
    {
        const string commit = "0123456789abcdef0123456789abcdef01234567";
        _server.Serve("/m.onnx", new ServedFile(Payload) { RedirectLikeHub = true, LinkedEtag = PayloadSha256, LinkedSize = Payload.Length, RepoCommit = commit });
        var entry = Entry("/m.onnx", sha256: null) with { Revision = "main" };

        var installed = await Install(entry);

        Assert.Equal(Payload, File.ReadAllBytes(installed.Path));
        Assert.Equal(PayloadSha256, installed.Entry!.Sha256);
        Assert.Equal(commit, installed.Entry.Revision);
        Assert.Equal(["HEAD /m.onnx", "GET /m.onnx", "GET /cdn/m.onnx"], _server.Requests.Select(r => $"{r.Method} {r.Path}"));
    }

    [Fact]
    public async Task A_file_that_does_not_match_the_published_digest_is_refused()
    {
        string other = Sha256(Corrupted(Payload));
        _server.Serve("/m.onnx", new ServedFile(Payload) { RedirectLikeHub = true, LinkedEtag = other });

        var error = await Assert.ThrowsAsync<ModelInstallException>(() => Install(Entry("/m.onnx", sha256: null)));

        Assert.Equal(ModelInstallError.HashMismatch, error.Error);
        Assert.Contains("X-Linked-Etag", error.Message);
        Assert.Empty(StoreFiles());
    }

    [Fact]
    public async Task A_file_nobody_publishes_a_digest_for_is_not_downloaded()
    {
        _server.Serve("/m.onnx", new ServedFile(Payload));

        var error = await Assert.ThrowsAsync<ModelInstallException>(() => Install(Entry("/m.onnx", sha256: null)));

        Assert.Equal(ModelInstallError.HashUnavailable, error.Error);
        Assert.Equal(["HEAD"], _server.Requests.Select(r => r.Method));
        Assert.Empty(StoreFiles());
    }

    [TmpfsFact]
    public async Task A_full_disk_is_reported_before_downloading_when_the_size_is_known()
    {
        using var disk = TmpfsFolder.Mount(1024 * 1024);
        var big = RandomBytes(2 * 1024 * 1024);
        _server.Serve("/big.onnx", new ServedFile(big));
        var store = new ModelStore(disk.Path);
        var entry = Entry("/big.onnx", Sha256(big)) with { SizeBytes = big.Length };

        var error = await Assert.ThrowsAsync<ModelInstallException>(() => Install(entry, store: store));

        Assert.Equal(ModelInstallError.DiskFull, error.Error);
        Assert.Empty(_server.Requests);
        Assert.Empty(Directory.GetFileSystemEntries(disk.Path));
    }

    [TmpfsFact]
    public async Task A_disk_that_fills_up_during_the_download_is_reported_and_cleaned_up()
    {
        using var disk = TmpfsFolder.Mount(1024 * 1024);
        var big = RandomBytes(2 * 1024 * 1024);
        // No size anywhere (catalog, headers), so nothing can be checked in advance: the write itself fails.
        _server.Serve("/big.onnx", new ServedFile(big) { SendContentLength = false });
        var store = new ModelStore(disk.Path);

        var error = await Assert.ThrowsAsync<ModelInstallException>(() => Install(Entry("/big.onnx", Sha256(big)), store: store));

        Assert.Equal(ModelInstallError.DiskFull, error.Error);
        Assert.Single(_server.Requests);
        Assert.Empty(Directory.GetFileSystemEntries(disk.Path));
    }

    [Fact]
    public async Task A_second_installation_of_a_model_being_downloaded_says_so_and_leaves_the_download_alone()
    {
        _server.Serve("/m.onnx", new ServedFile(Payload));
        Directory.CreateDirectory(_store.Directory);
        string part = _store.PartPath(Name, PayloadSha256);
        // The first installation holds its partial file open for writing, as PartialDownload does while it receives.
        using var first = new FileStream(part, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        first.Write(Payload.AsSpan(0, 100));
        first.Flush();

        var error = await Assert.ThrowsAsync<ModelInstallException>(() => Install(Entry("/m.onnx")));

        Assert.Equal(ModelInstallError.InProgress, error.Error);
        Assert.Contains("another installation", error.Message);
        Assert.True(File.Exists(part), "the other installation's partial file was deleted");
        Assert.Equal(100, new FileInfo(part).Length);
    }

    [Fact]
    public async Task A_complete_partial_file_that_another_installation_is_verifying_is_left_to_it()
    {
        _server.Serve("/m.onnx", new ServedFile(Payload));
        Directory.CreateDirectory(_store.Directory);
        string part = _store.PartPath(Name, PayloadSha256);
        File.WriteAllBytes(part, Payload);
        // The first installation has received every byte and holds its claim while it verifies and renames them:
        // taking the same file over would make one of the two fail for a model that the other installed.
        using (new FileStream(_store.LockPath(Name), FileMode.OpenOrCreate, FileAccess.Write, FileShare.None))
        {
            var error = await Assert.ThrowsAsync<ModelInstallException>(() => Install(Entry("/m.onnx")));

            Assert.Equal(ModelInstallError.InProgress, error.Error);
            Assert.Equal(Payload, File.ReadAllBytes(part));
            Assert.False(_store.IsInstalled(Name));
            Assert.Empty(_server.Requests);
        }
        File.Delete(_store.LockPath(Name));

        var installed = await Install(Entry("/m.onnx"));

        Assert.Equal(Payload, File.ReadAllBytes(installed.Path));
        Assert.Equal([Name + ".json", Name + ".onnx"], StoreFiles());
    }

    [TmpfsFact]
    public async Task A_read_only_model_folder_is_a_write_failure_that_names_the_folder_not_another_installation()
    {
        using var disk = TmpfsFolder.Mount(1024 * 1024, readOnly: true);
        _server.Serve("/m.onnx", new ServedFile(Payload));

        var error = await Assert.ThrowsAsync<ModelInstallException>(() => Install(Entry("/m.onnx"), store: new ModelStore(disk.Path)));

        Assert.Equal(ModelInstallError.WriteFailed, error.Error);
        Assert.Contains(disk.Path, error.Message);
        Assert.DoesNotContain("another", error.Message);
    }

    private CatalogEntry Entry(string path, string? sha256 = "") => new()
    {
        Name = Name,
        Url = _server.Url(path),
        Scale = 2,
        Sha256 = sha256 == "" ? PayloadSha256 : sha256,
    };

    private async Task<InstalledModel> Install(CatalogEntry entry, bool force = false, Action<DownloadProgress>? progress = null, ModelStore? store = null)
    {
        using var installer = new ModelInstaller(store ?? _store, Fast);
        return await installer.InstallAsync(entry, force, progress, CancellationToken.None);
    }

    private string[] StoreFiles() =>
        Directory.Exists(_store.Directory)
            ? Directory.GetFiles(_store.Directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray()
            : [];

    private static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    private static byte[] Corrupted(byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        copy[copy.Length / 2] ^= 0x5A;
        return copy;
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(3).NextBytes(bytes);
        return bytes;
    }

    public void Dispose()
    {
        _server.Dispose();
        _temp.Dispose();
    }
}
