using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Swin2SR.Core.Models;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Models;

public sealed class ModelCatalogTests
{
    private static readonly string ShippedPath = Path.Combine(RepoPaths.Root, "models", "catalog.json");

    [Theory]
    [InlineData("My Upscaler", "my-upscaler")]
    [InlineData("_Swin2SR (x4) ", "swin2sr-x4")]
    [InlineData("日本", "my-model")]
    public void A_name_like_a_file_name_is_a_valid_model_name(string text, string expected)
    {
        Assert.Equal(expected, ModelCatalog.NameLike(text));
        Assert.True(ModelCatalog.IsValidName(expected));
    }

    [Fact]
    public void A_name_like_a_file_name_longer_than_a_model_name_is_cut_to_a_valid_one()
    {
        // Only its length keeps the file from being listed: the suggestion must not be the same name again.
        string text = new string('a', 63) + "_b";
        string name = ModelCatalog.NameLike(text);
        Assert.False(ModelCatalog.IsValidName(text));
        Assert.Equal(new string('a', 63), name);
        Assert.True(ModelCatalog.IsValidName(name));
    }

    [Fact]
    public void The_shipped_catalog_lists_every_public_export_with_an_address_made_of_its_repo_revision_and_file()
    {
        var catalog = CatalogLoader.Load(ShippedPath);

        string[] bases = ["classical-x2", "classical-x4", "lightweight-x2", "compressed-x4", "realworld-x4"];
        Assert.Equal(bases.SelectMany(b => new[] { b, b + "-fp16" }).Order(), catalog.Entries.Select(e => e.Name).Order());
        foreach (var entry in catalog.Entries)
        {
            Assert.Equal($"https://huggingface.co/{entry.Repo}/resolve/{entry.Revision}/{entry.File}", entry.Url.ToString());
            Assert.StartsWith("Xenova/swin2SR-", entry.Repo);
            // The scale is in both names: the short one (x2) and the repository's (sr-x4-64, lightweight-x2-64).
            int scaleInRepo = int.Parse(Regex.Match(entry.Repo!, @"x(\d)-").Groups[1].Value);
            Assert.Equal(scaleInRepo, entry.Scale);
            Assert.Contains($"-x{entry.Scale}", entry.Name);
            Assert.Equal(entry.Name.EndsWith("-fp16") ? "onnx/model_fp16.onnx" : "onnx/model.onnx", entry.File);
            Assert.Equal(8, entry.Window);
            Assert.False(string.IsNullOrWhiteSpace(entry.Task));
            Assert.False(string.IsNullOrWhiteSpace(entry.IntendedUse));
            Assert.Equal(entry.Revision != "main", entry.Pinned);
        }
        var classical = catalog.Find("classical-x2")!;
        Assert.Equal("93dfc9089abda257351d3a58d5771e2c1ff69442", classical.Revision);
        Assert.Equal("6dde3fe2440543ccae7c40d175609f83c18aeaa3d8456745c4329ef97ae744bd", classical.Sha256);
    }

    [Fact]
    public void Names_are_found_in_any_case()
    {
        var catalog = ModelCatalog.Parse(Document(Valid()), "test");
        Assert.Same(catalog.Entries[0], catalog.Find("Sample-X2"));
        Assert.Null(catalog.Find("other"));
    }

    public static TheoryData<string, string?, string> BadEntries() => new()
    {
        { "name", "Upper", "'name' must be" },
        { "name", "../escape", "'name' must be" },
        { "name", null, "'name' is missing" },
        { "url", "ftp://example.com/m.onnx", "is not an http, https or file address, nor a path relative to the catalog" },
        { "sha256", "abc", "is not 64 hexadecimal digits" },
        { "revision", "main", "'pinned' is true but 'revision' (main) is not a 40-digit commit" },
    };

    [Theory]
    [MemberData(nameof(BadEntries))]
    public void A_bad_entry_is_refused_with_the_catalog_the_entry_and_the_reason(string field, string? value, string reason)
    {
        var entry = Valid();
        entry[field] = value;
        var error = Assert.Throws<ModelCatalogException>(() => ModelCatalog.Parse(Document(entry), "company.json"));
        Assert.StartsWith("Model catalog 'company.json': model #1", error.Message);
        Assert.Contains(reason, error.Message);
        Assert.False(error.Unreadable);
    }

    [Theory]
    [InlineData("/mirror/swin2sr/catalog.json", "models/m.onnx", "file:///mirror/swin2sr/models/m.onnx")]
    [InlineData("/mirror/swin2sr/catalog.json", "../m.onnx", "file:///mirror/m.onnx")]
    [InlineData("https://models.example.com/swin2sr/catalog.json", "m.onnx", "https://models.example.com/swin2sr/m.onnx")]
    [InlineData("/mirror/catalog.json", "file:///media/usb/m.onnx", "file:///media/usb/m.onnx")]
    public void A_url_relative_to_the_catalog_is_taken_from_beside_it(string catalog, string url, string address)
    {
        var entry = Valid();
        entry["url"] = url;
        Assert.Equal(new Uri(address), ModelCatalog.Parse(Document(entry), catalog).Entries[0].Url);
    }

    [Fact]
    public void A_scale_out_of_range_or_missing_is_refused()
    {
        var entry = Valid();
        entry["scale"] = 0;
        Assert.Contains("'scale' 0 is not between 1 and 16", Assert.Throws<ModelCatalogException>(() => ModelCatalog.Parse(Document(entry), "c")).Message);
        entry.Remove("scale");
        Assert.Contains("'scale' is missing", Assert.Throws<ModelCatalogException>(() => ModelCatalog.Parse(Document(entry), "c")).Message);
    }

    [Fact]
    public void A_misspelt_field_is_refused_rather_than_ignored()
    {
        var entry = Valid();
        entry["sha"] = entry["sha256"]!.GetValue<string>();
        var error = Assert.Throws<ModelCatalogException>(() => ModelCatalog.Parse(Document(entry), "c"));
        Assert.Contains("'sha'", error.Message);
    }

    [Fact]
    public void A_name_used_twice_is_refused()
    {
        var error = Assert.Throws<ModelCatalogException>(() => ModelCatalog.Parse(Document(Valid(), Valid()), "c"));
        Assert.Contains("model #2: the name 'sample-x2' is used twice", error.Message);
    }

    [Theory]
    [InlineData("{ \"models\": [] }", "schema (missing) is not supported")]
    [InlineData("{ \"schema\": 2, \"models\": [] }", "schema 2 is not supported")]
    [InlineData("{ \"schema\": 1 }", "no 'models' array")]
    [InlineData("{ \"schema\": 1, \"models\": [ ", "not a valid catalog")]
    public void A_document_that_is_not_a_catalog_is_refused(string json, string reason)
    {
        var error = Assert.Throws<ModelCatalogException>(() => ModelCatalog.Parse(json, "c"));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_catalog_is_read_from_an_http_address()
    {
        using var server = new TestHttpServer();
        server.Serve("/catalog.json", new ServedFile(Encoding.UTF8.GetBytes(Document(Valid()))));

        var catalog = CatalogLoader.Load(server.Url("/catalog.json").ToString());

        Assert.Equal("sample-x2", Assert.Single(catalog.Entries).Name);
        Assert.Equal(server.Url("/catalog.json").ToString(), catalog.Source);
    }

    [Fact]
    public void A_catalog_address_that_fails_or_a_missing_file_names_the_source()
    {
        using var server = new TestHttpServer();
        string url = server.Url("/nothing.json").ToString();
        var http = Assert.Throws<ModelCatalogException>(() => CatalogLoader.Load(url));
        Assert.Contains(url, http.Message);
        Assert.Contains("404", http.Message);
        Assert.True(http.Unreadable);

        string path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "catalog.json");
        var file = Assert.Throws<ModelCatalogException>(() => CatalogLoader.Load(path));
        Assert.Equal($"Model catalog '{path}': the file does not exist", file.Message);
        Assert.True(file.Unreadable);
    }

    private static JsonObject Valid() => new()
    {
        ["name"] = "sample-x2",
        ["repo"] = "owner/sample",
        ["file"] = "onnx/model.onnx",
        ["revision"] = "0123456789abcdef0123456789abcdef01234567",
        ["pinned"] = true,
        ["url"] = "https://models.example.com/sample-x2.onnx",
        ["sizeBytes"] = 502,
        ["sha256"] = new string('a', 64),
        ["scale"] = 2,
        ["window"] = 8,
        ["task"] = "classical-sr",
        ["intendedUse"] = "tests",
    };

    private static string Document(params JsonObject[] entries) =>
        new JsonObject { ["schema"] = 1, ["models"] = new JsonArray(entries.Select(e => (JsonNode)e.DeepClone()).ToArray()) }.ToJsonString();
}
