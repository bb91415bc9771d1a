using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Devices;
using Swin2SR.Core.Inference.Float16.OnnxFormat;
using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Inference;

/// <summary>
/// Ways people export super-resolution models that the module's own exports do not show: an older opset, fixed
/// shapes (batch 1), other tensor names, an Identity before the output and a second output, weights in a .onnx.data file beside the model,
/// an output not clipped to [0,1]. Each upscales to what the closed form of the committed test model says.
/// </summary>
public sealed class ExportVariantsTests : IDisposable
{
    private const int Width = 37, Height = 21;

    private readonly TempFolder _folder = new();
    private readonly Rgb24[] _pixels = TestImages.RandomPixels(new Random(11), Width, Height);

    public void Dispose() => _folder.Dispose();

    /// <summary>The test picture upscaled by <paramref name="model"/> in several tiles and batches, read back.</summary>
    private Rgb24[] Upscale(string model, Precision precision = Precision.Fp32, OptimizedGraphCache? cache = null) =>
        PipelineRunner.UpscaleOne(_folder, _pixels, Width, Height, model, precision, cache, minConsistencyPsnr: 0);

    private Rgb24[] Nearest => TestImages.NearestUpscale(_pixels, Width, Height, 2);

    [Theory]
    [InlineData(Precision.Fp32)]
    [InlineData(Precision.Fp16)]
    public void An_opset_11_export_upscales_exactly(Precision precision)
    {
        string path = EditedModels.Write("nearest-x2", _folder.File("opset11.onnx"), model =>
        {
            model.OpsetImport.Single(o => o.Domain == "").Version = 11;
            model.IrVersion = 6; // opset 11's
        });

        Assert.Equal(Nearest, Upscale(path, precision));
    }

    [Fact]
    public void An_export_without_dynamic_axes_batch_1_and_a_fixed_size_upscales_exactly()
    {
        // torch.onnx.export without dynamic_axes: every dimension fixed to the example's, here [1,3,16,16] -> [1,3,32,32].
        string path = EditedModels.Write("nearest-x2", _folder.File("fixed.onnx"), model => EditedModels.FixShapes(model, size: 16, scale: 2));

        using (var model = TileModel.LoadCpu(path, cores: 1))
            Assert.Equal((16, 1), (model.Contract.FixedSize, model.Contract.FixedBatch));
        Assert.Equal(Nearest, Upscale(path));
    }

    [Fact]
    public void Other_names_an_Identity_before_the_output_and_a_second_output_upscale_exactly()
    {
        string path = EditedModels.Write("nearest-x2", _folder.File("renamed.onnx"), model =>
        {
            var graph = model.Graph;
            graph.Input[0].Name = "input";
            foreach (var node in graph.Node)
                for (int i = 0; i < node.Input.Count; i++)
                    node.Input[i] = node.Input[i] == "pixel_values" ? "input" : node.Input[i];
            EditedModels.RenameOutputSource(graph, "reconstruction", "upscaled");
            graph.Node.Add(EditedModels.Node("Identity", "output", "upscaled"));
            graph.Node.Add(EditedModels.Node("Identity", "output_copy", "upscaled"));
            graph.Output[0].Name = "output";
            var copy = graph.Output[0].Clone();
            copy.Name = "output_copy";
            graph.Output.Add(copy);
        });

        using (var model = TileModel.LoadCpu(path, cores: 1))
            Assert.Equal(("input", "output"), (model.Contract.InputName, model.Contract.OutputName));
        Assert.Equal(Nearest, Upscale(path));
    }

    [Fact]
    public void Weights_in_a_data_file_beside_the_model_are_cached_with_their_graph_and_fp16_says_why_it_is_not_used()
    {
        Directory.CreateDirectory(_folder.File("models"));
        string path = EditedModels.Write("boxblur-x2", _folder.File("models", "boxblur-external.onnx"), model =>
        {
            var weights = model.Graph.Initializer.Single(t => t.Name == "blur_weights");
            File.WriteAllBytes(_folder.File("models", "boxblur-external.onnx.data"), weights.RawData.ToByteArray());
            weights.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "boxblur-external.onnx.data" });
            weights.DataLocation = TensorProto.Types.DataLocation.External;
            weights.ClearRawData();
        });
        // The 108 bytes of blur weights go to the entry's weights file; the 64 of Pad's pads, a shape input, stay inside.
        var cache = new OptimizedGraphCache(_folder.File("cache")) { ExternalWeightsMinBytes = 100 };
        var expected = TestImages.BoxBlurNearest2x(_pixels, Width, Height);

        // The entry keeps its weights in a file of its own beside it, which it names.
        Assert.Equal(expected, Upscale(path, cache: cache));
        string entry = cache.EntryPath(path, "cpu");
        string entryWeights = Assert.Single(Directory.GetFiles(cache.Directory, "*.data"));
        Assert.StartsWith(entry + ".", entryWeights);
        Assert.Equal([entry, entryWeights], Directory.GetFiles(cache.Directory).Order(StringComparer.Ordinal));

        // The next start runs the entry, with the entry's weights: made a 3x3 kernel that keeps the centre, the blur
        // becomes no blur, and the output the nearest upscale.
        var identity = new float[3 * 3 * 3];
        for (int channel = 0; channel < 3; channel++)
            identity[channel * 9 + 4] = 1;
        Assert.Equal(identity.Length * sizeof(float), new FileInfo(entryWeights).Length);
        File.WriteAllBytes(entryWeights, System.Runtime.InteropServices.MemoryMarshal.AsBytes(identity.AsSpan()).ToArray());
        Assert.Equal(Nearest, Upscale(path, cache: cache));

        // New weights beside the model make another entry, as a new model file does.
        File.SetLastWriteTimeUtc(_folder.File("models", "boxblur-external.onnx.data"), DateTime.UtcNow.AddMinutes(1));
        Assert.Equal(expected, Upscale(path, cache: cache));
        Assert.NotEqual(entry, cache.EntryPath(path, "cpu"));
        using var fp16 = TileModel.LoadCpu(path, cores: 1, cache, Precision.Fp16);
        Assert.Equal(Precision.Fp32, fp16.Precision);
        Assert.Contains("its weights are in external data files", fp16.PrecisionNote);
    }

    [Fact]
    public void An_output_not_clipped_to_0_1_is_written_clipped()
    {
        // 2x - 0.25 after the nearest x2: -0.25 to 1.75, a level k becomes 2k - 63.75, never half-way between levels.
        string path = EditedModels.Write("nearest-x2", _folder.File("unclipped.onnx"), model =>
        {
            var graph = model.Graph;
            EditedModels.RenameOutputSource(graph, "reconstruction", "upscaled");
            graph.Initializer.Add(EditedModels.Scalar("two", 2));
            graph.Initializer.Add(EditedModels.Scalar("quarter", 0.25f));
            graph.Node.Add(EditedModels.Node("Mul", "doubled", "upscaled", "two"));
            graph.Node.Add(EditedModels.Node("Sub", "reconstruction", "doubled", "quarter"));
        });
        static byte Stretch(byte level) => (byte)Math.Clamp(2 * level - 64, 0, 255);

        var expected = Nearest.Select(p => new Rgb24(Stretch(p.R), Stretch(p.G), Stretch(p.B))).ToArray();

        Assert.Equal(expected, Upscale(path));
    }
}
