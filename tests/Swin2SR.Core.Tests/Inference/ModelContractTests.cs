using Google.Protobuf;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Float16.OnnxFormat;
using Swin2SR.Core.Tests.Support;
using Swin2SR.Core.Tiling;

namespace Swin2SR.Core.Tests.Inference;

/// <summary>
/// The scale a model's metadata states is checked against what its graph computes: from its shapes as it loads when
/// they are fixed, else at its first tile, which fails with the two numbers instead of ONNX Runtime's shape message.
/// </summary>
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
    public void A_model_whose_metadata_states_another_scale_than_its_graph_fails_its_first_tile_naming_both(string stated)
    {
        string path = NearestX2Stating(stated);
        using var model = TileModel.LoadCpu(path, cores: 1);
        int scale = int.Parse(stated);

        var error = Assert.Throws<ModelLoadException>(() => model.Run(new float[3 * 8 * 8], new float[3 * 8 * 8 * scale * scale], 1, TileShape.Square(8), Precision.Fp32));

        Assert.Contains(path, error.Message);
        Assert.Contains($"states scale {stated}, but it upscales x2", error.Message);
    }

    [Fact]
    public void A_model_with_fixed_shapes_whose_metadata_states_another_scale_is_refused_as_it_loads()
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(NearestX2Stating("4")));
        foreach (var (value, size) in new[] { (model.Graph.Input[0], 16), (model.Graph.Output[0], 32) })
        {
            for (int d = 2; d < 4; d++)
                value.Type.TensorType.Shape.Dim[d] = new TensorShapeProto.Types.Dimension { DimValue = size };
        }
        string path = _folder.File("fixed-states-4.onnx");
        File.WriteAllBytes(path, model.ToByteArray());

        var error = Assert.Throws<ModelLoadException>(() => TileModel.LoadCpu(path, cores: 1));

        Assert.Contains("states scale 4, but it upscales x2", error.Message);
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
