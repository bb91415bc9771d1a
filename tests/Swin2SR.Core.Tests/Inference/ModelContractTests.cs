using Google.Protobuf;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Float16.OnnxFormat;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Inference;

/// <summary>The scale a model's metadata states is checked against what its graph does, once, as it loads.</summary>
public sealed class ModelContractTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>nearest-x2.onnx with its "scale" metadata entry set to <paramref name="scale"/>, or removed when null.</summary>
    private string NearestX2Stating(string? scale)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(RepoPaths.TestModel("nearest-x2")));
        var entry = model.MetadataProps.Single(p => p.Key == "scale");
        if (scale is null)
            model.MetadataProps.Remove(entry);
        else
            entry.Value = scale;
        string path = _folder.File($"nearest-x2-states-{scale ?? "none"}.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    [Theory]
    [InlineData("4")]
    [InlineData("1")]
    public void A_model_whose_metadata_states_another_scale_than_its_graph_is_refused_naming_both(string stated)
    {
        string path = NearestX2Stating(stated);

        var error = Assert.Throws<ModelLoadException>(() => TileModel.LoadCpu(path, cores: 1));

        Assert.Contains(path, error.Message);
        Assert.Contains($"states scale {stated}, but it upscales x2", error.Message);
    }

    [Theory]
    [InlineData("2")]
    [InlineData(null)]
    [InlineData("not a number")]
    public void A_model_stating_its_own_scale_or_none_loads_with_the_scale_of_its_graph(string? stated)
    {
        using var model = TileModel.LoadCpu(NearestX2Stating(stated), cores: 1);

        Assert.Equal(2, model.Contract.Scale);
    }
}
