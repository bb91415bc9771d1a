using Google.Protobuf;
using Swin2SR.Core.Inference.Float16.OnnxFormat;
using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Tests.Support;
using Swin2SR.Core.Tiling;

namespace Swin2SR.Core.Tests.Pipeline;

/// <summary>
/// A model exported with a fixed input size gets tiles of exactly that size and no edge context: its window is
/// unknown, and an image of exactly its size would take 2x2 tiles to make room for context.
/// </summary>
public class FixedSizeModelTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>nearest-x2.onnx with its height and width fixed (its batch stays dynamic).</summary>
    private string FixedNearest(int size)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(RepoPaths.TestModel("nearest-x2")));
        foreach (var (value, factor) in new[] { (model.Graph.Input[0], 1), (model.Graph.Output[0], 2) })
        {
            var dims = value.Type.TensorType.Shape.Dim;
            for (int d = 2; d < 4; d++)
                dims[d] = new TensorShapeProto.Types.Dimension { DimValue = size * factor };
        }
        string path = _folder.File($"nearest-x2-fixed{size}.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    [Fact]
    public void An_image_of_exactly_the_fixed_size_is_one_tile_and_comes_out_exact()
    {
        string model = FixedNearest(16);
        var random = new Random(2);
        var pixels = TestImages.RandomPixels(random, 16, 16);
        string input = _folder.File("in.png");
        TestImages.SavePng(input, pixels, 16, 16);
        using var device = new ScriptedRunner(model, "cpu");
        var result = Assert.Single(PipelineRunner.Run([device], [input], _folder.File("out"), new UpscaleOptions { TileOverlap = 4, BatchSize = 1, IoThreads = 1, MinConsistencyPsnr = 0 }, out _));

        Assert.True(result.Status == UpscaleStatus.Succeeded, result.Error?.Message);
        Assert.Equal(16, device.Contract.FixedSize);
        Assert.Equal([(1, TileShape.Square(16))], device.Shapes);
        Assert.Equal(TestImages.NearestUpscale(pixels, 16, 16, 2), TestImages.LoadPixels(result.Item.OutputPath, out _, out _));
    }
}
