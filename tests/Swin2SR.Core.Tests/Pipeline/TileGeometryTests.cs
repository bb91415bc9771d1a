using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Float16.OnnxFormat;
using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Pipeline;

public sealed class TileGeometryTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static ModelContract Contract(int window, int? fixedSize = null) =>
        new("pixel_values", "reconstruction", Scale: 2, Window: window, FixedSize: fixedSize, FixedBatch: null);

    [Theory]
    [InlineData(8, 256)]
    [InlineData(16, 256)]
    [InlineData(12, 252)] // 256 is no multiple of 12: the default is the largest one below it
    [InlineData(7, 252)]
    [InlineData(300, 300)] // a window larger than the default is the smallest tile there is
    public void Without_a_tile_size_the_default_fits_the_models_window(int window, int expected)
    {
        var geometry = TileGeometry.Resolve(new UpscaleOptions(), Contract(window));
        Assert.Equal(expected, geometry.TileSize);
    }

    [Fact]
    public void A_tile_size_given_that_is_no_multiple_of_the_window_is_refused_with_the_next_one()
    {
        var error = Assert.Throws<InvalidTilingException>(() => TileGeometry.Resolve(new UpscaleOptions { TileSize = 256 }, Contract(12)));
        Assert.Equal(256, error.Value);
        Assert.Contains("try 264", error.Message);
    }

    [Fact]
    public void A_model_with_a_fixed_size_uses_it()
    {
        Assert.Equal(64, TileGeometry.Resolve(new UpscaleOptions { TileSize = 128 }, Contract(8, fixedSize: 64)).TileSize);
    }

    // nearest-x2 states window 8 in its metadata; fixed to 64x64 inputs, as an export without dynamic axes.
    private string FixedModel(Action<ModelProto>? more = null) =>
        EditedModels.Write("nearest-x2", _folder.File("fixed.onnx"), model =>
        {
            EditedModels.FixShapes(model, size: 64, scale: 2);
            more?.Invoke(model);
        });

    [Fact]
    public void The_check_before_loading_takes_a_fixed_size_from_the_graph_which_sets_the_tiles_whatever_tile_size_is_asked()
    {
        string model = FixedModel();
        Assert.Equal(64, ModelContract.StatedFixedSize(model));

        // The run uses 64: a -TileSize that is no multiple of the window is not used, so it is no error.
        TileGeometry.CheckStated(model, new UpscaleOptions { TileSize = 100 });
        // An overlap of more than half of 64 fails the run, so it fails the check, even where the default tile takes it.
        var error = Assert.Throws<InvalidTilingException>(() => TileGeometry.CheckStated(model, new UpscaleOptions { TileOverlap = 40 }));
        Assert.Contains("half the tile size (32)", error.Message);
        using var loaded = TileModel.LoadCpu(model, cores: 1);
        Assert.Equal(error.Message, Assert.Throws<InvalidTilingException>(() => TileGeometry.Resolve(new UpscaleOptions { TileOverlap = 40 }, loaded.Contract)).Message);
    }

    [Fact]
    public void The_check_before_loading_still_refuses_a_tile_size_off_the_window_for_a_model_of_free_size()
    {
        string model = RepoPaths.TestModel("nearest-x2");
        Assert.Null(ModelContract.StatedFixedSize(model));
        Assert.Throws<InvalidTilingException>(() => TileGeometry.CheckStated(model, new UpscaleOptions { TileSize = 100 }));
    }

    [Fact]
    public void The_fixed_size_is_the_image_inputs_not_that_of_a_weight_listed_among_the_inputs_before_it()
    {
        // Older exports list initializers among the graph's inputs; ONNX Runtime does not count them as inputs.
        string model = FixedModel(m =>
        {
            var weight = m.Graph.Initializer[0];
            var listed = new ValueInfoProto { Name = weight.Name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = weight.DataType, Shape = new TensorShapeProto() } } };
            foreach (long dim in weight.Dims)
                listed.Type.TensorType.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dim });
            m.Graph.Input.Insert(0, listed);
        });
        Assert.Equal(64, ModelContract.StatedFixedSize(model));
    }
}
