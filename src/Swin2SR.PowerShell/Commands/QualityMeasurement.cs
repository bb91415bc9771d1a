using System.Management.Automation;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Quality;

namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// The bridge between Measure-Swin2SRQuality and the engine's metrics: engine types stay inside this class, and
/// what it hands back is a PowerShell-side result or an error record.
/// </summary>
internal sealed class QualityMeasurement
{
    private readonly ImageLoader _loader = new(ImageLimits.Default);
    private readonly int _scale;
    private readonly int _border;

    public QualityMeasurement(int scale, int border)
    {
        _scale = scale;
        _border = border;
    }

    // The last reference decoded: a single -Reference file is decoded once, not once for every image.
    private string? _referencePath;
    private PlanarImage? _reference;

    /// <summary>Decodes <paramref name="referencePath"/> ahead of the images; null, or an error record naming it when it cannot be read.</summary>
    public ErrorRecord? LoadReference(string referencePath)
    {
        try
        {
            Reference(referencePath);
            return null;
        }
        catch (ImageInputException e)
        {
            return Record(e);
        }
    }

    /// <summary>The scores of <paramref name="path"/> against <paramref name="referencePath"/>, or null and an error record naming the file at fault.</summary>
    public Swin2SRQualityResult? Measure(string referencePath, string path, out ErrorRecord? error)
    {
        error = null;
        try
        {
            var scores = ImageQuality.CompareFile(Reference(referencePath), referencePath, _loader, path, _scale, _border);
            return new Swin2SRQualityResult
            {
                Reference = referencePath,
                Path = path,
                PsnrY = scores.PsnrY,
                SsimY = scores.SsimY,
                PsnrRgb = scores.PsnrRgb,
                Width = scores.Width,
                Height = scores.Height,
                Border = scores.Border,
            };
        }
        catch (ImageInputException e)
        {
            error = Record(e);
            return null;
        }
    }

    private PlanarImage Reference(string path)
    {
        if (_reference is null || _referencePath != path)
        {
            _reference = _loader.Load(path, scale: 1).Pixels;
            _referencePath = path;
        }
        return _reference;
    }

    private static ErrorRecord Record(ImageInputException e) => new(e, e.ErrorId, ImageErrorCategories.Of(e.Kind), e.Path);
}
