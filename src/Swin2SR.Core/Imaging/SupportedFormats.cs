using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// The one ImageSharp configuration the engine uses: only the formats we support are registered, so a
/// crafted file in any other format (TGA, PBM, ...) never reaches a decoder; multi-frame formats decode
/// their first frame only.
/// </summary>
internal static class SupportedFormats
{
    public static Configuration Configuration { get; } = Create();

    private static Configuration Create()
    {
        var configuration = new Configuration(
            new PngConfigurationModule(),
            new JpegConfigurationModule(),
            new WebpConfigurationModule(),
            new BmpConfigurationModule(),
            new TiffConfigurationModule(),
            new GifConfigurationModule());
        configuration.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First });
        configuration.ImageFormatsManager.SetDecoder(TiffFormat.Instance, new TiffDecoder { DecodingMode = FrameDecodingMode.First });
        // Decoding is parallelised across images by the pipeline, not inside one image.
        configuration.MaxDegreeOfParallelism = 1;
        return configuration;
    }
}
