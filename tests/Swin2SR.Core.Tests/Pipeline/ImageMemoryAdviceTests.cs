using Swin2SR.Core.Imaging;

namespace Swin2SR.Core.Tests.Pipeline;

/// <summary>What a refused image's message advises: a smaller -TileSize only where one could make it fit.</summary>
public sealed class ImageMemoryAdviceTests
{
    private const long MiB = 1L << 20;

    [Fact]
    public void A_phone_photo_x4_in_a_4_GiB_container_is_not_told_that_a_smaller_tile_would_help()
    {
        // 4000x3000 x4 needs about 4.5 GB; the GC sees 3072 MB, 90% of it 2765 MB: too little even with no tiles.
        string? why = ImageMemory.WhyNot(4000, 3000, 4, 3072 * MiB, modelBytes: 867 * MiB);
        Assert.NotNull(why);
        Assert.Contains("needs about 4.5 GB of memory, more than the 1.9 GB this process can give one image", why);
        Assert.DoesNotContain("-TileSize", why);
    }

    [Fact]
    public void An_image_that_would_fit_beside_smaller_tiles_is_told_so()
    {
        // 1000x1000 x2 needs about 111 MB: not beside 867 MB of tiles in 1 GiB, but within 90% of it alone.
        string? why = ImageMemory.WhyNot(1000, 1000, 2, 1024 * MiB, modelBytes: 867 * MiB);
        Assert.NotNull(why);
        Assert.EndsWith("(a smaller -TileSize leaves it more)", why);
    }
}
