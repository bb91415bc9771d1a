using Swin2SR.Core.Models;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Models;

public sealed class ModelStoreTests
{
    [Fact]
    public void The_environment_variable_chooses_the_folder_else_the_users_local_data_folder()
    {
        string? set(string name) => name == ModelStore.EnvironmentVariable ? "/srv/models" : null;
        Assert.Equal("/srv/models", ModelStore.DefaultDirectory(set));

        string data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        Assert.Equal(Path.Combine(data, "Swin2SR", "models"), ModelStore.DefaultDirectory(_ => null));
        Assert.Equal(Path.Combine(data, "Swin2SR", "models"), ModelStore.DefaultDirectory(_ => " "));
    }

    [Fact]
    public void A_leading_tilde_in_the_environment_variable_is_the_home_folder()
    {
        string? set(string value) => value;
        Assert.Equal("/home/ops/models", ModelStore.DefaultDirectory(_ => set("~/models"), () => "/home/ops"));
        Assert.Equal("/home/ops", ModelStore.DefaultDirectory(_ => set("~"), () => "/home/ops"));
        Assert.Equal("~ops/models", ModelStore.DefaultDirectory(_ => set("~ops/models"), () => "/home/ops"));
    }

    [Fact]
    public void Only_whole_models_are_listed_as_installed()
    {
        using var temp = new TempFolder();
        var store = new ModelStore(temp.Path);
        File.WriteAllBytes(store.ModelPath("b-x2"), new byte[7]);
        File.WriteAllBytes(store.ModelPath("a-x4"), new byte[3]);
        File.WriteAllBytes(store.PartPath("c-x2", new string('f', 64)), new byte[5]);
        File.WriteAllText(temp.File("b-x2.json"), "not json");
        File.WriteAllBytes(temp.File("Not A Name.onnx"), new byte[1]);

        var installed = store.Installed();

        Assert.Equal(["a-x4", "b-x2"], installed.Select(m => m.Name));
        Assert.Equal([3L, 7L], installed.Select(m => m.SizeBytes));
        Assert.All(installed, m => Assert.Null(m.Entry)); // no record, or a damaged one: the model is still listed
        Assert.True(store.IsInstalled("b-x2"));
        Assert.False(store.IsInstalled("c-x2"));
    }

    [Fact]
    public void A_partial_download_is_hidden_and_belongs_to_one_expected_digest()
    {
        var store = new ModelStore("/models");
        string a = store.PartPath("m-x2", "0123456789abcdef" + new string('0', 48));
        string b = store.PartPath("m-x2", "fedcba9876543210" + new string('0', 48));
        Assert.Equal(".m-x2.0123456789abcdef.part", Path.GetFileName(a));
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void The_bytes_of_an_interrupted_download_are_those_of_the_partial_file_the_next_installation_resumes()
    {
        using var temp = new TempFolder();
        var store = new ModelStore(temp.File("models"));
        string expected = "0123456789abcdef" + new string('0', 48);
        var entry = new CatalogEntry { Name = "m-x2", Url = new Uri("https://example.com/m.onnx"), Scale = 2, Sha256 = expected };
        Assert.Null(store.PartialBytes(entry)); // no folder yet

        Directory.CreateDirectory(store.Directory);
        File.WriteAllBytes(store.PartPath("m-x2", "fedcba9876543210" + new string('0', 48)), new byte[9]); // an older catalog's file
        File.WriteAllBytes(store.PartPath("m-x22", expected), new byte[8]); // other models'
        File.WriteAllBytes(store.PartPath("m-x2.b", expected), new byte[10]);
        Assert.Null(store.PartialBytes(entry));

        File.WriteAllBytes(store.PartPath("m-x2", expected), []);
        Assert.Null(store.PartialBytes(entry)); // stopped before the first byte: nothing to resume

        File.WriteAllBytes(store.PartPath("m-x2", expected), new byte[5]);
        Assert.Equal(5, store.PartialBytes(entry));
        // Without the catalog's digest the server's decides which file is resumed: the largest stands for it.
        Assert.Equal(9, store.PartialBytes(entry with { Sha256 = null }));
    }

    [Fact]
    public void A_name_that_is_not_a_plain_file_name_is_refused()
    {
        var store = new ModelStore("/models");
        Assert.Throws<ArgumentException>(() => store.ModelPath("../etc/x"));
        Assert.Throws<ArgumentException>(() => store.ModelPath("A"));
    }
}
