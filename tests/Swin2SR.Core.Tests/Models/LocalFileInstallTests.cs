using Swin2SR.Core.Models;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Models;

/// <summary>
/// Installing from files on a disk or a share (an offline machine's copy of a mirror: a catalog whose entries are
/// paths beside it), with no network: verified, resumed and committed as a download is.
/// </summary>
public sealed class LocalFileInstallTests : IDisposable
{
    private const string Name = "offline-x2";

    // The catalog and the files an operator copied onto the offline machine.
    private readonly string _mirror;
    private readonly TempFolder _temp = new();
    private readonly ModelStore _store;

    public LocalFileInstallTests()
    {
        (_store, _mirror) = (new ModelStore(_temp.File("models")), _temp.File("mirror"));
        Directory.CreateDirectory(_mirror);
    }

    [Fact]
    public async Task Installs_a_file_beside_the_catalog_verified_by_its_sha256()
    {
        byte[] model = Mirror("nearest-x2", "m.onnx");

        var installed = await Install(Entry("m.onnx", model));

        Assert.Equal(model, File.ReadAllBytes(installed.Path));
        Assert.Equal(new Uri(Path.Combine(_mirror, "m.onnx")), installed.Entry!.Url);
        Assert.Null(_store.ChangeSinceInstall(Name));
    }

    [Fact]
    public async Task Completes_a_partial_copy_from_where_it_stopped()
    {
        byte[] model = Mirror("nearest-x2", "m.onnx");
        int half = model.Length / 2;
        // The mirror's first half is now wrong: only a copy that keeps what the stopped one left, and reads the rest
        // from where it stopped, has the model's digest (one from the start would fail it).
        File.WriteAllBytes(Path.Combine(_mirror, "m.onnx"), [.. new byte[half], .. model[half..]]);
        Directory.CreateDirectory(_store.Directory);
        File.WriteAllBytes(_store.PartPath(Name, Sha256(model)), model[..half]);
        var reports = new List<DownloadProgress>();

        var installed = await Install(Entry("m.onnx", model), reports.Add);

        Assert.Equal(model, File.ReadAllBytes(installed.Path));
        Assert.NotEmpty(reports);
        Assert.All(reports, r => Assert.True(r.BytesReceived > half));
    }

    [Fact]
    public async Task Installs_the_weights_files_beside_a_model_file()
    {
        byte[] model = Mirror("boxblur-external-x2", "m.onnx");
        File.Copy(RepoPaths.TestModel("boxblur-external-x2") + ".data", Path.Combine(_mirror, "boxblur-external-x2.onnx.data"));

        var installed = await Install(Entry("m.onnx", model));

        Assert.Equal([_store.DataFilePath(Name, "boxblur-external-x2.onnx.data")], installed.DataFiles);
        Assert.Null(_store.ChangeSinceInstall(Name));
    }

    [Fact]
    public async Task A_missing_file_is_not_found_naming_its_path()
    {
        var error = await Assert.ThrowsAsync<ModelInstallException>(() => Install(Entry("gone.onnx", [1, 2, 3])));

        Assert.Equal(ModelInstallError.NotFound, error.Error);
        Assert.Contains($"there is no file '{Path.Combine(_mirror, "gone.onnx")}'", error.Message);
        Assert.False(Directory.EnumerateFileSystemEntries(_store.Directory).Any());
    }

    [Fact]
    public async Task A_file_the_catalog_states_no_sha256_for_is_not_installed()
    {
        byte[] model = Mirror("nearest-x2", "m.onnx");

        var error = await Assert.ThrowsAsync<ModelInstallException>(() => Install(Entry("m.onnx", model) with { Sha256 = null }));

        Assert.Equal(ModelInstallError.HashUnavailable, error.Error);
        Assert.Contains("cannot vouch for itself", error.Message);
        Assert.Null(_store.Find(Name));
    }

    /// <summary>Copies the committed test model <paramref name="testModel"/> into the mirror as <paramref name="file"/>; its bytes.</summary>
    private byte[] Mirror(string testModel, string file)
    {
        File.Copy(RepoPaths.TestModel(testModel), Path.Combine(_mirror, file));
        return File.ReadAllBytes(Path.Combine(_mirror, file));
    }

    // As the catalog reads it: a path relative to the catalog file.
    private CatalogEntry Entry(string file, byte[] content)
    {
        string json = $$"""{ "schema": 1, "models": [ { "name": "{{Name}}", "url": "{{file}}", "scale": 2, "sha256": "{{Sha256(content)}}" } ] }""";
        return ModelCatalog.Parse(json, Path.Combine(_mirror, "catalog.json")).Entries[0];
    }

    private async Task<InstalledModel> Install(CatalogEntry entry, Action<DownloadProgress>? progress = null)
    {
        using var installer = new ModelInstaller(_store, new ModelInstallerOptions { MaxRetries = 0 });
        return await installer.InstallAsync(entry, force: false, progress, CancellationToken.None);
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes)).ToLowerInvariant();

    public void Dispose() => _temp.Dispose();
}
