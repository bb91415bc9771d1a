using Google.Protobuf;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Float16.OnnxFormat;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Inference;

/// <summary>
/// A model whose input or output the engine cannot feed or read is refused as it loads, saying what it has: a
/// channels-last one was told only that its "fixed input size 3x-1" was not square. (Float16 input and output are
/// fed and read: HalfIoModelTests.)
/// </summary>
public sealed class ImageTensorsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>nearest-x2.onnx (Tile and DepthToSpace, which take any element type) changed by <paramref name="change"/>.</summary>
    private string NearestX2With(string name, Action<ValueInfoProto, ValueInfoProto> change)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(RepoPaths.TestModel("nearest-x2")));
        change(model.Graph.Input[0], model.Graph.Output[0]);
        string path = _folder.File(name + ".onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    [Fact]
    public void A_channels_last_model_is_refused_as_NHWC()
    {
        string path = NearestX2With("nhwc", (input, output) =>
        {
            // [batch, height, width, 3]: the channels move last, the rest shift left.
            foreach (var value in new[] { input, output })
            {
                var dims = value.Type.TensorType.Shape.Dim;
                var channels = dims[1];
                dims.RemoveAt(1);
                dims.Add(channels);
            }
        });

        var error = Assert.Throws<ModelLoadException>(() => TileModel.LoadCpu(path, cores: 1));

        Assert.Contains("is float32 [batch,height,width,3]", error.Message);
        Assert.Contains("channels last (NHWC)", error.Message);
    }

    [Fact]
    public void A_model_whose_output_has_one_channel_is_refused_as_it_loads_instead_of_failing_every_image()
    {
        // The channels' mean before the nearest x2 (opset 17: ReduceMean's axes are an attribute): an RGB-to-gray model.
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(RepoPaths.TestModel("nearest-x2")));
        var mean = new NodeProto { OpType = "ReduceMean", Name = "gray" };
        mean.Input.Add("pixel_values");
        mean.Output.Add("gray");
        mean.Attribute.Add(new AttributeProto { Name = "axes", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 1 } });
        model.Graph.Node[0].Input[0] = "gray";
        model.Graph.Node.Insert(0, mean);
        model.Graph.Output[0].Type.TensorType.Shape.Dim[1].DimValue = 1;
        string path = _folder.File("gray-out.onnx");
        File.WriteAllBytes(path, model.ToByteArray());

        var error = Assert.Throws<ModelLoadException>(() => TileModel.LoadCpu(path, cores: 1));

        Assert.Contains("1 channels out, where 3 (as in) are expected", error.Message);
    }
}
