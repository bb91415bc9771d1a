using SixLabors.ImageSharp.Formats.Png;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Pipeline;

/// <summary>
/// An image is checked against the memory the model's CPU workers leave, not against the whole process's: their
/// tiles' activations are held while it is upscaled, and an image let in without them could end the run with the
/// out-of-memory killer after all its inference.
/// </summary>
public sealed class ImageMemoryBesideModelTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void An_image_that_fits_only_without_the_workers_tiles_is_refused_before_decoding_and_the_run_goes_on()
    {
        // 1000x1000 x2 needs about 111 MB (ImageMemory): within 90% of 1 GiB alone, not beside one CPU worker's
        // 272x272 tile (the default 256 and its edge context) at 12 KiB a pixel, 867 MB. The file only claims its
        // size: were it let in, it would fail later, as a file cut short.
        string poster = _folder.File("poster.png"), small = _folder.File("small.png");
        File.WriteAllBytes(poster, FixtureImages.PngClaiming(1000, 1000));
        File.WriteAllBytes(small, FixtureImages.Encode(FixtureImages.Pattern(40, 30, FixtureImages.Colour), new PngEncoder()));
        // -TileSize 256 given: without it the tile would shrink to leave images room (TileThatFitsTests).
        var options = new UpscaleOptions { TileSize = 256, IoThreads = 1, MinConsistencyPsnr = 0, Limits = ImageLimits.Default with { MemoryBytes = 1L << 30 } };

        var results = PipelineRunner.Run(RepoPaths.TestModel("nearest-x2"), [poster, small], _folder.File("out"), options);

        var refused = Assert.Single(results, r => r.Item.InputPath == poster);
        Assert.Equal(UpscaleStatus.Failed, refused.Status);
        Assert.Equal("OutputTooLarge", refused.Error!.ErrorId);
        Assert.Contains("more than the 55 MB this process can give one image (90% of 1 GB, less 867 MB that the model's CPU workers hold for their tiles)", refused.Error.Message);
        Assert.Equal(UpscaleStatus.Succeeded, Assert.Single(results, r => r.Item.InputPath == small).Status);
    }

    [Fact]
    public void In_a_1_GiB_container_the_automatic_tile_shrinks_so_that_an_image_still_fits()
    {
        // The garbage collector sees 768 MB in a 1 GiB container: beside the default tile's 867 MB no image had any
        // memory, and this 256x256 one was refused with OutputTooLarge ("more than the 0 MB").
        string photo = _folder.File("photo.png");
        File.WriteAllBytes(photo, FixtureImages.Encode(FixtureImages.Pattern(256, 256, FixtureImages.Colour), new PngEncoder()));
        var options = new UpscaleOptions { IoThreads = 1, MinConsistencyPsnr = 0, Limits = ImageLimits.Default with { MemoryBytes = 768L << 20 } };

        var result = Assert.Single(PipelineRunner.Run(RepoPaths.TestModel("nearest-x2"), [photo], _folder.File("out"), options));

        Assert.Null(result.Error);
        Assert.Equal(UpscaleStatus.Succeeded, result.Status);
    }
}
