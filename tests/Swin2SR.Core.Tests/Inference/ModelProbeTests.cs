using Google.Protobuf;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Float16.OnnxFormat;
using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Inference;

/// <summary>
/// A model that states no window (an export made with other tools, which may state its scale or not) is run on a
/// mid-grey square as it loads; one whose window partition fails at 8x8 is tried at the other common windows, and its
/// tiles are then multiples of the window it ran at, instead of the load failing with ONNX Runtime's Reshape message
/// (or, where it stated its scale, every image failing at its first tile).
/// </summary>
public sealed class ModelProbeTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("window16-x2")]
    [InlineData("window16-scale-x2")]
    public void A_model_with_a_window_of_16_stating_none_loads_with_that_window(string name)
    {
        using var model = TileModel.LoadCpu(RepoPaths.TestModel(name), cores: 1);

        Assert.Equal(16, model.Contract.Window);
        Assert.Equal(2, model.Contract.Scale);
    }

    [Theory]
    [InlineData("window16-x2")]
    [InlineData("window16-scale-x2")]
    public void An_image_of_no_multiple_of_the_found_window_comes_out_exact(string name)
    {
        var pixels = TestImages.RandomPixels(new Random(3), 37, 21);
        string input = _folder.File("in.png");
        TestImages.SavePng(input, pixels, 37, 21);

        var result = Assert.Single(PipelineRunner.Run(RepoPaths.TestModel(name), [input], _folder.File("out"),
            new UpscaleOptions { TileSize = 32, TileOverlap = 4, BatchSize = 1, IoThreads = 1, MinConsistencyPsnr = 0 }));

        Assert.True(result.Status == UpscaleStatus.Succeeded, result.Error?.Message);
        Assert.Equal(TestImages.NearestUpscale(pixels, 37, 21, 2), TestImages.LoadPixels(result.Item.OutputPath, out _, out _));
    }

    [Fact]
    public void A_model_stating_a_window_it_cannot_run_at_is_refused_naming_the_file_and_the_size()
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(RepoPaths.TestModel("window16-x2")));
        model.MetadataProps.Add(new StringStringEntryProto { Key = "window_size", Value = "8" });
        string path = _folder.File("window16-states-8.onnx");
        File.WriteAllBytes(path, model.ToByteArray());

        var error = Assert.Throws<ModelLoadException>(() => TileModel.LoadCpu(path, cores: 1));

        Assert.Contains(path, error.Message);
        Assert.Contains("cannot run it on a 8x8 input", error.Message);
    }

    [Fact]
    public void A_model_stating_a_scale_but_no_window_whose_run_shows_another_scale_is_refused_as_it_loads()
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(RepoPaths.TestModel("window16-scale-x2")));
        model.MetadataProps.Single(p => p.Key == "scale").Value = "4";
        string path = _folder.File("window16-states-scale-4.onnx");
        File.WriteAllBytes(path, model.ToByteArray());

        var error = Assert.Throws<ModelLoadException>(() => TileModel.LoadCpu(path, cores: 1));

        Assert.Contains(path, error.Message);
        Assert.Contains("states scale 4, but it upscales x2", error.Message);
    }

    [Fact]
    public void A_model_without_metadata_whose_output_is_in_0_to_255_is_refused_as_it_loads_saying_so()
    {
        string path = RepoPaths.TestModel("bytes-x2");

        var error = Assert.Throws<ModelLoadException>(() => TileModel.LoadCpu(path, cores: 1));

        Assert.Contains(path, error.Message);
        Assert.Contains("averages 127.5: it gives values in 0..255", error.Message);
    }
}
