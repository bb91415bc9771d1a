using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Pipeline;

/// <summary>Where outputs go, which inputs are outputs of earlier runs, and inputs that would share an output.</summary>
public sealed class OutputPlannerTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Without_an_output_folder_files_in_enhanced_folders_are_earlier_outputs()
    {
        string shop = _folder.File("shop");
        string[] inputs =
        [
            Path.Combine(shop, "a.jpg"), Path.Combine(shop, "enhanced", "a.jpg"),
            Path.Combine(shop, "sub", "enhanced", "b.png"), Path.Combine(shop, "enhanced-not", "c.png"), Path.Combine(shop, "enhanced.png"),
        ];
        var (kept, earlier, _) = OutputPlanner.SetAsideEarlierOutputs(inputs, outputDirectory: null);
        Assert.Equal([inputs[0], inputs[3], inputs[4]], kept);
        Assert.Equal([inputs[1], inputs[2]], earlier);
        // What they would otherwise have become: outputs of outputs, one folder deeper each run.
        Assert.Equal(Path.Combine(shop, "enhanced", "enhanced", "a.jpg"), OutputPlanner.Plan([inputs[1]], null, OutputFormat.Same)[0].OutputPath);
    }

    [Fact]
    public void With_an_output_folder_the_files_inside_it_are_earlier_outputs_and_enhanced_folders_are_inputs()
    {
        string shop = _folder.File("shop");
        string output = Path.Combine(shop, "out");
        string[] inputs =
        [
            Path.Combine(shop, "a.jpg"), Path.Combine(output, "a.jpg"), Path.Combine(output, "deep", "b.png"),
            Path.Combine(shop, "outside", "c.png"), Path.Combine(shop, "enhanced", "d.png"),
        ];
        var (kept, earlier, _) = OutputPlanner.SetAsideEarlierOutputs(inputs, output + Path.DirectorySeparatorChar);
        Assert.Equal([inputs[0], inputs[3], inputs[4]], kept);
        Assert.Equal([inputs[1], inputs[2]], earlier);
    }

    [Fact]
    public void With_an_output_folder_a_file_in_an_enhanced_folder_beside_its_input_is_an_output_of_a_run_without_one()
    {
        // The nightly run used to write beside its inputs; now it is given -OutputDirectory, and the listing holds both.
        string shop = _folder.File("shop");
        string[] inputs =
        [
            Path.Combine(shop, "a.jpg"), Path.Combine(shop, "enhanced", "a.png"), Path.Combine(shop, "sub", "b.png"),
            Path.Combine(shop, "sub", "enhanced", "b.png"), Path.Combine(shop, "enhanced", "c.png"), Path.Combine(shop, "sub", "enhanced", "a.png"),
        ];
        var screened = OutputPlanner.SetAsideEarlierOutputs(inputs, _folder.File("out"));
        Assert.Equal([inputs[1], inputs[3]], screened.BesideTheirInputs);
        Assert.Empty(screened.InOutputFolders);
        Assert.Equal([inputs[0], inputs[2], inputs[4], inputs[5]], screened.Inputs);
        // Given alone, without their inputs, they are inputs like any other.
        Assert.Equal([inputs[1], inputs[3]], OutputPlanner.SetAsideEarlierOutputs([inputs[1], inputs[3]], _folder.File("out")).Inputs);
    }

    [LinuxFact]
    public void The_files_of_an_output_folder_reached_through_a_link_are_earlier_outputs_whichever_path_is_the_link()
    {
        // /srv/enhanced is a link to /srv/shop/out: the nightly listing of /srv/shop finds the outputs by their own path.
        string shop = _folder.File("shop");
        string output = Path.Combine(shop, "out");
        Directory.CreateDirectory(Path.Combine(output, "deep"));
        string linkToOutput = _folder.File("enhanced");
        Directory.CreateSymbolicLink(linkToOutput, output);
        string[] inputs = [Path.Combine(shop, "a.png"), Path.Combine(output, "a.png"), Path.Combine(output, "deep", "b.png"), Path.Combine(shop, "outside.png")];
        var (kept, earlier, _) = OutputPlanner.SetAsideEarlierOutputs(inputs, linkToOutput);
        Assert.Equal([inputs[0], inputs[3]], kept);
        Assert.Equal([inputs[1], inputs[2]], earlier);
        // The other way round: the shop listed through a link, the output folder given by its own path.
        string linkToShop = _folder.File("shop-link");
        Directory.CreateSymbolicLink(linkToShop, shop);
        string[] linked = [Path.Combine(linkToShop, "a.png"), Path.Combine(linkToShop, "out", "deep", "b.png")];
        Assert.Equal([linked[1]], OutputPlanner.SetAsideEarlierOutputs(linked, output).InOutputFolders);
        // -KeepRejected's folder too.
        Assert.Equal([inputs[1], inputs[2]], OutputPlanner.SetAsideEarlierOutputs(inputs, _folder.File("elsewhere"), linkToOutput).InOutputFolders);
    }

    [Fact]
    public void An_earlier_output_given_twice_is_set_aside_once()
    {
        // Get-ChildItem -Recurse passes the output folder and the files in it: the folder stands for the same files.
        string shop = _folder.File("shop");
        string output = Path.Combine(shop, "out");
        string[] inputs = [Path.Combine(shop, "a.png"), Path.Combine(output, "a.png"), Path.Combine(output, "a.png")];
        var (kept, earlier, _) = OutputPlanner.SetAsideEarlierOutputs(inputs, output);
        Assert.Equal([inputs[0]], kept);
        Assert.Equal([inputs[1]], earlier);
    }

    [Fact]
    public void Files_kept_for_review_by_KeepRejected_are_earlier_outputs_too()
    {
        string shop = _folder.File("shop");
        string review = Path.Combine(shop, "review");
        string[] inputs = [Path.Combine(shop, "a.png"), Path.Combine(review, "a-1f2e.png")];
        var (kept, earlier, _) = OutputPlanner.SetAsideEarlierOutputs(inputs, _folder.File("out"), review);
        Assert.Equal([inputs[0]], kept);
        Assert.Equal([inputs[1]], earlier);
        Assert.Equal(2, OutputPlanner.SetAsideEarlierOutputs(inputs, _folder.File("out")).Inputs.Count);
    }

    [Fact]
    public void A_path_is_under_a_folder_only_below_a_separator_and_the_root_holds_everything()
    {
        Assert.True(OutputPlanner.IsUnder("/srv/out/x.png", "/srv/out"));
        Assert.True(OutputPlanner.IsUnder("/srv/out/x.png", "/srv/out/"));
        Assert.False(OutputPlanner.IsUnder("/srv/outside/x.png", "/srv/out"));
        Assert.False(OutputPlanner.IsUnder("/srv/out", "/srv/out"));
        Assert.True(OutputPlanner.IsUnder("/srv/x.png", "/"));
    }

    [Fact]
    public void Inputs_that_differ_only_in_extension_share_an_output_when_the_format_changes()
    {
        string[] inputs = [_folder.File("a.jpg"), _folder.File("a.png"), _folder.File("b.jpg")];
        var shared = Assert.Single(OutputPlanner.SharedOutputs(OutputPlanner.Plan(inputs, _folder.File("out"), OutputFormat.Png)));
        Assert.Equal(_folder.File("out", "a.png"), shared.Key);
        Assert.Equal([inputs[0], inputs[1]], shared.Select(item => item.InputPath));
        Assert.Empty(OutputPlanner.SharedOutputs(OutputPlanner.Plan(inputs, _folder.File("out"), OutputFormat.Same)));
    }

    /// <summary>With -Force the writer may replace an existing output: the second input replaced the first's, both Succeeded.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Two_inputs_with_one_output_write_it_once_and_the_other_fails_with_OutputCollision(bool force)
    {
        var random = new Random(3);
        string jpg = _folder.File("photo.jpg"), png = _folder.File("photo.png");
        using (var image = Image.LoadPixelData<Rgb24>(TestImages.RandomPixels(random, 12, 10), 12, 10))
            // 4:4:4, so the pixels the run reads are ImageSharp's decode (LoadPixels): subsampled chroma it would interpolate.
            image.SaveAsJpeg(jpg, new JpegEncoder { ColorType = JpegColorType.YCbCrRatio444 });
        TestImages.SavePng(png, TestImages.RandomPixels(random, 12, 10), 12, 10);
        var options = new UpscaleOptions { TileSize = 16, TileOverlap = 4, BatchSize = 1, IoThreads = 2, MinConsistencyPsnr = 0, Force = force };
        // A slow device: both images are past the "output exists?" check long before either is written.
        using var device = new ScriptedRunner(RepoPaths.TestModel("nearest-x2"), "cpu", latency: TimeSpan.FromMilliseconds(300));

        var results = PipelineRunner.Run([device], [jpg, png], _folder.File("out"), options, out _, OutputFormat.Png);

        var written = Assert.Single(results, r => r.Status == UpscaleStatus.Succeeded);
        var refused = Assert.Single(results, r => r.Status == UpscaleStatus.Failed);
        Assert.Equal("OutputCollision", refused.Error!.ErrorId);
        Assert.StartsWith(_folder.File("out", "photo.png") + ": ", refused.Error.Message);
        // The file holds the winner's whole upscale, not a mix and not the loser's.
        var source = TestImages.LoadPixels(written.Item.InputPath, out int w, out int h);
        Assert.Equal(TestImages.NearestUpscale(source, w, h, 2), TestImages.LoadPixels(_folder.File("out", "photo.png"), out _, out _));
        Assert.Equal(["photo.png"], Directory.EnumerateFileSystemEntries(_folder.File("out")).Select(Path.GetFileName));
    }
}
