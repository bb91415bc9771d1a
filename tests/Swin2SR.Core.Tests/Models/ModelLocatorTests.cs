using System.Text.Json.Nodes;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Models;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Models;

public sealed class ModelLocatorTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly string _embedded;
    private readonly ModelStore _store;
    private readonly string _catalog;

    public ModelLocatorTests()
    {
        _embedded = Directory.CreateDirectory(_temp.File("embedded")).FullName;
        _store = new ModelStore(Directory.CreateDirectory(_temp.File("store")).FullName);
        _catalog = _temp.File("catalog.json");
        var models = new JsonArray(
            Entry("classical-x4"),
            Entry("lightweight-x2"));
        File.WriteAllText(_catalog, new JsonObject { ["schema"] = 1, ["models"] = models }.ToJsonString());
        File.Copy(RepoPaths.TestModel("nearest-x2"), Path.Combine(_embedded, "swin2sr-tiny-x2.onnx"));
        File.Copy(RepoPaths.TestModel("nearest-x2"), _store.ModelPath("lightweight-x2"));
    }

    private ModelLocator Locator => new(_embedded, _store, _catalog);

    [Fact]
    public void An_installed_model_is_found_by_name_in_any_case()
    {
        Assert.Equal(_store.ModelPath("lightweight-x2"), Locator.Resolve("lightweight-x2", null));
        Assert.Equal(_store.ModelPath("lightweight-x2"), Locator.Resolve("Lightweight-X2", null));
    }

    [Fact]
    public void An_embedded_model_is_found_by_name_in_any_case() =>
        Assert.Equal(Path.Combine(_embedded, "swin2sr-tiny-x2.onnx"), Locator.Resolve("Swin2SR-Tiny-X2", null));

    [Fact]
    public void An_embedded_model_comes_before_an_installed_one_of_the_same_name()
    {
        File.Copy(RepoPaths.TestModel("nearest-x4"), _store.ModelPath("swin2sr-tiny-x2"));
        Assert.Equal(Path.Combine(_embedded, "swin2sr-tiny-x2.onnx"), Locator.Resolve("swin2sr-tiny-x2", null));
    }

    [Fact]
    public void A_catalog_model_that_is_not_installed_says_how_to_install_it()
    {
        var error = Assert.Throws<ModelLoadException>(() => Locator.Resolve("classical-x4", null));
        Assert.Equal("Model 'classical-x4': not installed: run Install-Swin2SRModel classical-x4", error.Message);
    }

    [Fact]
    public void An_unknown_name_lists_the_embedded_and_installed_models()
    {
        var error = Assert.Throws<ModelLoadException>(() => Locator.Resolve("nothing-x3", null));
        Assert.Equal("Model 'nothing-x3': no such model; known models: lightweight-x2, swin2sr-tiny-x2", error.Message);
        Assert.Equal(["lightweight-x2", "swin2sr-tiny-x2"], Locator.KnownNames());
    }

    [Theory]
    [InlineData("clasical-x4", "did you mean 'classical-x4' (not installed: Install-Swin2SRModel classical-x4)?")]
    [InlineData("tiny-x2", "did you mean 'swin2sr-tiny-x2'?")]
    [InlineData("Lightweight-x4", "did you mean 'lightweight-x2'?")]
    public void An_unknown_name_close_to_a_known_or_catalog_name_offers_it(string typed, string offer)
    {
        var error = Assert.Throws<ModelLoadException>(() => Locator.Resolve(typed, null));
        Assert.Equal($"Model '{typed}': no such model; {offer} Known models: lightweight-x2, swin2sr-tiny-x2", error.Message);
    }

    [Theory]
    [InlineData("x4", new string[0])]
    [InlineData("Swin2SR-Tiny-X4", new[] { "swin2sr-tiny-x4" })]
    [InlineData("classical-x2", new[] { "classical-x4" })]
    [InlineData("tiny", new[] { "swin2sr-tiny-x2", "swin2sr-tiny-x4" })]
    public void Close_names_are_one_in_four_characters_away_or_hold_the_name_typed(string typed, string[] expected) =>
        Assert.Equal(expected, ModelNameSuggestions.Closest(typed, ["classical-x4", "swin2sr-tiny-x4", "swin2sr-tiny-x2", "realworld-x4"]));

    [Fact]
    public void Without_a_store_only_embedded_models_are_known()
    {
        var locator = new ModelLocator(_embedded);
        Assert.Equal(["swin2sr-tiny-x2"], locator.KnownNames());
        Assert.Throws<ModelLoadException>(() => locator.Resolve("lightweight-x2", null));
    }

    private static JsonObject Entry(string name) => new()
    {
        ["name"] = name,
        ["url"] = $"https://models.example.com/{name}.onnx",
        ["scale"] = name.EndsWith("x4") ? 4 : 2,
    };

    public void Dispose() => _temp.Dispose();
}
