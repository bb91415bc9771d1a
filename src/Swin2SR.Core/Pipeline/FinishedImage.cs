using Swin2SR.Core.Imaging;
using Swin2SR.Core.Quality;

namespace Swin2SR.Core.Pipeline;

/// <summary>
/// A stitched image made ready to write: its alpha upscaled (bicubic, or the model's own pass over it), its
/// quality measured against the input, and what the user should be told about it.
/// </summary>
internal sealed record FinishedImage(UpscaledImage Image, QualityMetrics Metrics, IReadOnlyList<string> Warnings)
{
    public static FinishedImage From(ImageWork work, int scale, bool keepPrintSize)
    {
        var source = work.Source ?? throw new InvalidOperationException("An image reached the encoder without its source.");
        var output = work.Canvas.Output;
        var metrics = QualityGate.Measure(work.Input!, output, scale);
        float[]? alpha = source.Alpha is null ? null
            : work.AlphaPart is { } part ? MeanOfChannels(part.Canvas.Output)
            : BicubicResize.Upscale(source.Alpha, work.InputWidth, work.InputHeight, scale);
        var warnings = source.Warnings.ToList();
        warnings.AddRange(work.Redos.Select(r => $"{r.Change}: the quality gate rejected the earlier output ({r.Failure})"));
        if (alpha is not null && !OutputEncoding.HoldsAlpha(work.Item.OutputFormat))
            warnings.Add($"{work.Item.OutputFormat} output has no transparency: transparent areas are flattened onto white (-Format Png keeps them)");
        if (source.Traits.BitDepth > 8 && !OutputEncoding.HoldsSixteenBits(work.Item.OutputFormat))
            warnings.Add($"{work.Item.OutputFormat} output is written with 8 bits per channel: the input's {source.Traits.BitDepth} bits are rounded to 8 "
                + (source.Traits.BitDepth > 16 ? "(-Format Png keeps 16)" : "(-Format Png keeps them)"));
        var image = new UpscaledImage(output, alpha, source.Traits, keepPrintSize ? PrintResolution.Scaled(source.Metadata, scale) : source.Metadata);
        if (OutputEncoding.MismatchedIccColourSpace(image, work.Item.OutputFormat) is { } space)
            warnings.Add(IccProfileDropped(space, OutputEncoding.WritesGray(source.Traits, work.Item.OutputFormat) ? "gray" : "RGB"));
        if (OutputEncoding.OversizedXmpLength(image, work.Item.OutputFormat) is { } xmpLength)
            warnings.Add(OutputEncoding.LeftOutOfJpeg("XMP", xmpLength));
        if (OutputEncoding.OversizedExif(image, work.Item.OutputFormat) is { } exif)
            warnings.Add(OutputEncoding.LeftOutOfJpeg("EXIF", exif.Length, exif.Whole ? "it is" : "its maker note is"));
        return new FinishedImage(image, metrics, warnings);
    }

    /// <summary>
    /// A CMYK image's inks are turned into RGB by plain inversion, (1 - C)(1 - K) and so on, as readers do without a
    /// profile; through its profile (lcms2, as Photoshop or a colour-managed viewer would) they come out another
    /// colour: 10 to 20 CIE76 delta E apart on average for a photo separated with Ghostscript's CMYK profiles.
    /// </summary>
    private static string IccProfileDropped(string profileSpace, string outputPixels) =>
        $"its ICC profile is for {profileSpace} data but the output holds {outputPixels} pixels: the profile is dropped, and the colours, converted "
        + (profileSpace == "CMYK"
            ? "from its inks by plain inversion without it (there is no colour management), are approximate: they can differ visibly from what a "
                + "colour-managed viewer shows for the input (convert it to RGB through its profile first, for example: magick input -profile sRGB.icc output.png, with an sRGB profile file)"
            : "without it (there is no colour management), may differ from what a colour-managed viewer shows for the input");

    /// <summary>The model saw the alpha as gray in all three channels; their mean, clamped, is the upscaled alpha.</summary>
    private static float[] MeanOfChannels(PlanarImage gray)
    {
        var alpha = new float[gray.PlaneLength];
        var r = gray.Plane(0);
        var g = gray.Plane(1);
        var b = gray.Plane(2);
        for (int i = 0; i < alpha.Length; i++)
            alpha[i] = Math.Clamp((r[i] + g[i] + b[i]) / 3f, 0f, 1f);
        return alpha;
    }

    /// <summary>The alpha plane as the model takes it: gray, the same value in R, G and B.</summary>
    public static PlanarImage GrayPlanes(float[] alpha, int width, int height)
    {
        var planes = new PlanarImage(width, height);
        for (int c = 0; c < 3; c++)
            alpha.CopyTo(planes.Plane(c));
        return planes;
    }
}
