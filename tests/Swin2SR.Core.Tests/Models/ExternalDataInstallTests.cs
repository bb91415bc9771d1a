using System.Security.Cryptography;
using Google.Protobuf;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Float16.OnnxFormat;
using Swin2SR.Core.Models;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Models;

/// <summary>
/// Installing a model that keeps its weights in a file beside it (ONNX external data, as models over 2 GB do):
/// models/test/boxblur-external-x2.onnx and its boxblur-external-x2.onnx.data, served by a real HTTP server on
/// 127.0.0.1 into a real folder.
/// </summary>
public sealed class ExternalDataInstallTests : IDisposable
{
    private const string Name = "blur-x2";
    private const string DataName = "boxblur-external-x2.onnx.data";
    private static readonly byte[] Model = File.ReadAllBytes(RepoPaths.TestModel("boxblur-external-x2"));
    private static readonly byte[] Data = File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(RepoPaths.TestModel("boxblur-external-x2"))!, DataName));

    private readonly TestHttpServer _server = new();
    private readonly TempFolder _temp = new();
    private readonly ModelStore _store;
    private string? _modelSha256;

    public ExternalDataInstallTests() => _store = new ModelStore(_temp.File("models"));

    [Fact]
    public void The_graph_names_the_weights_file_and_the_bytes_it_reads()
    {
        var named = Assert.Single(ExternalDataFiles.Read(RepoPaths.TestModel("boxblur-external-x2")));
        Assert.Equal(new ExternalDataFile(DataName, 108), named);
        Assert.Empty(ExternalDataFiles.Read(RepoPaths.TestModel("boxblur-x2")));
    }

    [Theory]
    [InlineData("../x.data")]
    [InlineData("..")]
    [InlineData("/etc/passwd")]
    [InlineData("sub/x.data")]
    [InlineData(@"..\x.data")]
    [InlineData("C:x.data")]
    [InlineData("")]
    public void A_location_that_is_no_file_name_in_the_models_folder_is_refused(string location) =>
        Assert.NotNull(ExternalDataFiles.Refusal(location));

    [Fact]
    public async Task Installs_the_weights_file_beside_the_model_records_it_and_the_model_loads()
    {
        ServeModel(Model);
        _server.Serve("/repo/" + DataName, new ServedFile(Data));

        var installed = await Install();

        Assert.Equal([Name + ".json", Path.Join(Name, Name + ".onnx"), Path.Join(Name, DataName)], StoreFiles());
        Assert.Equal(Data, File.ReadAllBytes(_store.DataFilePath(Name, DataName)));
        Assert.Equal([_store.DataFilePath(Name, DataName)], installed.DataFiles);
        Assert.Equal(installed, _store.Find(Name));
        Assert.Null(_store.ChangeSinceInstall(Name));
        using var model = TileModel.LoadCpu(installed.Path, cores: 1);
        Assert.Equal(2, model.Scale);
    }

    [Fact]
    public void A_model_copied_into_the_folder_by_hand_lists_the_weights_file_its_graph_names()
    {
        Directory.CreateDirectory(_store.Directory);
        File.WriteAllBytes(_store.ModelPath("copied-x2"), Model);

        Assert.Equal([_store.DataFilePath("copied-x2", DataName)], _store.Find("copied-x2")!.DataFiles);
        Assert.Null(_store.ChangeSinceInstall("copied-x2")); // nothing was recorded to compare with: a run names the missing file
    }

    [Fact]
    public void A_model_copied_by_hand_into_a_folder_of_its_name_with_its_weights_file_is_listed_and_loads()
    {
        string folder = Directory.CreateDirectory(Path.Combine(_store.Directory, "copied-x2")).FullName;
        File.WriteAllBytes(Path.Combine(folder, "copied-x2.onnx"), Model);
        File.WriteAllBytes(Path.Combine(folder, DataName), Data);

        var copied = Assert.Single(_store.Installed());
        Assert.Equal(("copied-x2", Path.Combine(folder, "copied-x2.onnx")), (copied.Name, copied.Path));
        Assert.Equal([Path.Combine(folder, DataName)], copied.DataFiles);
        using var model = TileModel.LoadCpu(copied.Path, cores: 1);
    }

    [Fact]
    public async Task A_weights_file_missing_on_the_server_fails_naming_it_and_installs_nothing()
    {
        ServeModel(Model);

        var error = await Assert.ThrowsAsync<ModelInstallException>(() => Install());

        Assert.Equal(ModelInstallError.NotFound, error.Error);
        Assert.Contains($"its weights file '{DataName}'", error.Message);
        Assert.Empty(StoreFiles());
    }

    [Fact]
    public async Task A_failure_at_the_second_weights_file_deletes_the_first_one_downloaded()
    {
        // The pads moved to a.data, which the graph names first: it downloads, then the second one is not found.
        var model = ModelProto.Parser.ParseFrom(Model);
        var pads = model.Graph.Initializer.Single(t => t.Name == "blur_pads");
        _server.Serve("/repo/a.data", new ServedFile(pads.RawData.ToByteArray()));
        pads.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "a.data" });
        pads.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = pads.RawData.Length.ToString() });
        pads.DataLocation = TensorProto.Types.DataLocation.External;
        pads.ClearRawData();
        ServeModel(model.ToByteArray());

        var error = await Assert.ThrowsAsync<ModelInstallException>(() => Install());

        Assert.Equal(ModelInstallError.NotFound, error.Error);
        Assert.Contains(_server.Requests, r => r.Path == "/repo/a.data");
        Assert.Empty(StoreFiles());
    }

    [Fact]
    public async Task A_weights_file_shorter_than_the_graph_reads_is_refused_and_deleted()
    {
        ServeModel(Model);
        _server.Serve("/repo/" + DataName, new ServedFile(Data[..50]));

        var error = await Assert.ThrowsAsync<ModelInstallException>(() => Install());

        Assert.Equal(ModelInstallError.DataFileRefused, error.Error);
        Assert.Contains("it has 50 bytes, but the model's graph reads up to byte 108", error.Message);
        Assert.Empty(StoreFiles());
    }

    [Theory]
    [InlineData("../escaped.data")]
    [InlineData("/tmp/escaped.data")]
    public async Task A_model_naming_a_weights_file_out_of_the_folder_is_refused_before_any_is_downloaded(string location)
    {
        var model = ModelProto.Parser.ParseFrom(Model);
        model.Graph.Initializer.Single(t => t.ExternalData.Count > 0).ExternalData.Single(e => e.Key == "location").Value = location;
        ServeModel(model.ToByteArray());
        _server.Serve("/escaped.data", new ServedFile(Data));

        var error = await Assert.ThrowsAsync<ModelInstallException>(() => Install());

        Assert.Equal(ModelInstallError.DataFileRefused, error.Error);
        Assert.Contains($"'{location}', which is not a file name in the model's own folder", error.Message);
        Assert.DoesNotContain(_server.Requests, r => r.Path.Contains("escaped"));
        Assert.False(File.Exists(_temp.File("escaped.data")));
        Assert.Empty(StoreFiles());
    }

    [Fact]
    public async Task A_changed_or_missing_weights_file_is_a_change_that_installing_again_repairs()
    {
        ServeModel(Model);
        _server.Serve("/repo/" + DataName, new ServedFile(Data));
        await Install();
        string data = _store.DataFilePath(Name, DataName);
        var changed = (byte[])Data.Clone();
        changed[0] ^= 0x5A;
        File.WriteAllBytes(data, changed);

        Assert.StartsWith($"its weights file '{DataName}' has SHA-256 {Sha256(changed)}, but the file installed on", _store.ChangeSinceInstall(Name));
        await Install();
        Assert.Equal(Data, File.ReadAllBytes(data));
        Assert.Null(_store.ChangeSinceInstall(Name));

        File.Delete(data);
        Assert.Equal($"its weights file '{DataName}' is missing ({data})", _store.ChangeSinceInstall(Name));
        var error = Assert.Throws<ModelLoadException>(() => TileModel.LoadCpu(_store.ModelPath(Name), cores: 1));
        Assert.Contains($"its weights file '{DataName}' is missing", error.Message);
    }

    [Fact]
    public async Task Two_models_whose_graphs_name_the_same_weights_file_are_both_installed_each_in_its_own_folder()
    {
        ServeModel(Model);
        _server.Serve("/repo/" + DataName, new ServedFile(Data));
        await Install();

        var other = await Install("other-x2");

        Assert.Equal([_store.DataFilePath("other-x2", DataName)], other.DataFiles);
        Assert.NotEqual(_store.DataFilePath(Name, DataName), _store.DataFilePath("other-x2", DataName));
        Assert.Equal([Name, "other-x2"], _store.Installed().Select(m => m.Name));
        foreach (var model in _store.Installed())
        {
            Assert.Null(_store.ChangeSinceInstall(model.Name));
            using var loaded = TileModel.LoadCpu(model.Path, cores: 1);
        }
    }

    [Fact]
    public async Task A_model_installed_with_its_weights_file_directly_in_the_folder_is_used_there_and_moved_into_its_own_folder_when_installed_again()
    {
        ServeModel(Model);
        _server.Serve("/repo/" + DataName, new ServedFile(Data));
        await Install();
        // The layout of versions before folders of their own: a move keeps the times the record holds.
        foreach (string file in new[] { Name + ".onnx", DataName })
            File.Move(Path.Combine(_store.Directory, Name, file), Path.Combine(_store.Directory, file));
        Directory.Delete(Path.Combine(_store.Directory, Name));

        Assert.Equal(Path.Combine(_store.Directory, Name + ".onnx"), _store.Find(Name)!.Path);
        Assert.Equal([Path.Combine(_store.Directory, DataName)], _store.Find(Name)!.DataFiles);
        Assert.Null(_store.ChangeSinceInstall(Name));
        using (TileModel.LoadCpu(_store.ModelPath(Name), cores: 1)) { }
        Assert.NotNull(await Install("other-x2"));

        await Install(force: true);

        Assert.Equal([Name + ".json", Path.Join(Name, Name + ".onnx"), Path.Join(Name, DataName),
            "other-x2.json", Path.Join("other-x2", DataName), Path.Join("other-x2", "other-x2.onnx")], StoreFiles());
        Assert.Null(_store.ChangeSinceInstall(Name));
    }

    [Fact]
    public async Task Uninstalling_removes_the_model_its_weights_files_and_its_folder_but_not_while_an_installation_holds_it()
    {
        ServeModel(Model);
        _server.Serve("/repo/" + DataName, new ServedFile(Data));
        await Install();
        await Install("other-x2");

        using (InstallClaim.Take(Name, _store.LockPath(Name)))
            Assert.Equal(ModelInstallError.InProgress, Assert.Throws<ModelInstallException>(() => _store.Uninstall(Name)).Error);
        var removed = _store.Uninstall(Name);

        Assert.Equal([Path.Combine(_store.Directory, Name, Name + ".onnx"), Path.Combine(_store.Directory, Name, DataName), Path.Combine(_store.Directory, Name + ".json")], removed);
        Assert.Equal(["other-x2.json", Path.Join("other-x2", DataName), Path.Join("other-x2", "other-x2.onnx")], StoreFiles());
        Assert.Empty(_store.Uninstall(Name));
    }

    [Fact]
    public async Task A_model_installed_again_without_weights_files_leaves_its_own_folder_for_the_model_folder()
    {
        ServeModel(Model);
        _server.Serve("/repo/" + DataName, new ServedFile(Data));
        await Install();

        ServeModel(File.ReadAllBytes(RepoPaths.TestModel("boxblur-x2")));
        var installed = await Install(force: true);

        Assert.Equal([Name + ".json", Name + ".onnx"], StoreFiles());
        Assert.Empty(installed.DataFiles);
        Assert.Null(_store.ChangeSinceInstall(Name));
    }

    [Fact]
    public async Task A_weights_file_named_as_the_model_file_itself_is_refused()
    {
        var model = ModelProto.Parser.ParseFrom(Model);
        model.Graph.Initializer.Single(t => t.ExternalData.Count > 0).ExternalData.Single(e => e.Key == "location").Value = Name + ".onnx";
        ServeModel(model.ToByteArray());

        var error = await Assert.ThrowsAsync<ModelInstallException>(() => Install());

        Assert.Equal(ModelInstallError.DataFileRefused, error.Error);
        Assert.Contains("would take the name of the model file itself", error.Message);
        Assert.Empty(StoreFiles());
    }

    [Fact]
    public async Task A_weights_file_the_hub_states_another_digest_for_is_refused()
    {
        _server.Serve("/repo/m.onnx", new ServedFile(Model) { LinkedEtag = Sha256(Model) });
        _server.Serve("/repo/" + DataName, new ServedFile(Data) { LinkedEtag = new string('0', 64) });

        var error = await Assert.ThrowsAsync<ModelInstallException>(() => Install(catalogDigest: false));

        Assert.Equal(ModelInstallError.HashMismatch, error.Error);
        Assert.Contains($"its weights file '{DataName}'", error.Message);
        Assert.Empty(StoreFiles());
    }

    private void ServeModel(byte[] model)
    {
        _server.Serve("/repo/m.onnx", new ServedFile(model));
        _modelSha256 = Sha256(model);
    }

    /// <param name="catalogDigest">False: the catalog states no digest, and the hub's (X-Linked-Etag) vouches for the model and its weights file.</param>
    private async Task<InstalledModel> Install(string name = Name, bool catalogDigest = true, bool force = false)
    {
        using var installer = new ModelInstaller(_store, new ModelInstallerOptions { MaxRetries = 0 });
        var entry = new CatalogEntry { Name = name, Url = _server.Url("/repo/m.onnx"), Scale = 2, Sha256 = catalogDigest ? _modelSha256 : null };
        return await installer.InstallAsync(entry, force, progress: null, CancellationToken.None);
    }

    // Relative to the model folder, its models' own folders included.
    private string[] StoreFiles() =>
        Directory.Exists(_store.Directory)
            ? Directory.GetFiles(_store.Directory, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_store.Directory, f)).Order(StringComparer.Ordinal).ToArray()
            : [];

    private static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    public void Dispose()
    {
        _server.Dispose();
        _temp.Dispose();
    }
}
