using SixLabors.ImageSharp.Metadata;
using Swin2SR.Core.Imaging;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>Where a stated resolution stops being one: low but real ones (maps, faxes, PNG's least) are kept.</summary>
public sealed class ImplausibleResolutionTests
{
    [Theory]
    [InlineData(PixelResolutionUnit.AspectRatio, 1, 1)] // ImageSharp's "no resolution", JFIF's and PNG's unit 0
    [InlineData(PixelResolutionUnit.AspectRatio, 1, 2)]
    [InlineData(PixelResolutionUnit.PixelsPerInch, 1, 1)] // GIS and map writers
    [InlineData(PixelResolutionUnit.PixelsPerInch, 204, 98)] // a fax page
    [InlineData(PixelResolutionUnit.PixelsPerMeter, 1, 1)] // the least a PNG pHYs can state, 0.0254 dpi
    [InlineData(PixelResolutionUnit.PixelsPerCentimeter, 0.004, 0.004)] // 0.01016 dpi
    public void A_low_but_real_resolution_is_kept(PixelResolutionUnit unit, double horizontal, double vertical)
    {
        var metadata = new ImageMetadata { ResolutionUnits = unit, HorizontalResolution = horizontal, VerticalResolution = vertical };

        Assert.Null(ImplausibleResolution.Drop(metadata));
        Assert.Equal((unit, horizontal, vertical), (metadata.ResolutionUnits, metadata.HorizontalResolution, metadata.VerticalResolution));
    }

    [Theory]
    [InlineData(PixelResolutionUnit.PixelsPerInch, 72.0 / 4294967295, 72, "1.68E-08")] // a damaged rational
    [InlineData(PixelResolutionUnit.AspectRatio, 1, 72.0 / 4294967295, "1.68E-08")]
    [InlineData(PixelResolutionUnit.PixelsPerCentimeter, 0.0039, 0.0039, "0.00991")]
    public void A_resolution_under_a_hundredth_of_a_dpi_is_dropped_with_a_warning_naming_it(PixelResolutionUnit unit, double horizontal, double vertical, string stated)
    {
        var metadata = new ImageMetadata { ResolutionUnits = unit, HorizontalResolution = horizontal, VerticalResolution = vertical };

        Assert.Equal($"its stated resolution ({stated} dots per inch) is implausible, under 0.01: the output states none", ImplausibleResolution.Drop(metadata));
        Assert.Equal((PixelResolutionUnit.AspectRatio, 1.0, 1.0), (metadata.ResolutionUnits, metadata.HorizontalResolution, metadata.VerticalResolution));
    }
}
