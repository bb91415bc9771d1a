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
    public void A_name_that_is_not_a_plain_file_name_is_refused()
    {
        var store = new ModelStore("/models");
        Assert.Throws<ArgumentException>(() => store.ModelPath("../etc/x"));
        Assert.Throws<ArgumentException>(() => store.ModelPath("A"));
    }
}
