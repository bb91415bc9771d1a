using SixLabors.ImageSharp.Metadata;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// A decoded input: upright RGB pixels in [0,1] (gray sources replicated to RGB, the colour under fully
/// transparent pixels already filled from their neighbours), the alpha plane if any, and what the writer needs
/// to write the output like the input (traits, ICC/EXIF/XMP/IPTC metadata).
/// </summary>
/// <param name="Alpha">Width x Height values in [0,1], row-major; null when every pixel is opaque.</param>
/// <param name="Warnings">What the user should know although the image decoded (an animation reduced to its first frame).</param>
public sealed record LoadedImage(PlanarImage Pixels, float[]? Alpha, ImageTraits Traits, ImageMetadata Metadata, IReadOnlyList<string> Warnings);
