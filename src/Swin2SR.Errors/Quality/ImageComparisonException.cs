namespace Swin2SR.Core.Quality;

/// <summary>Two images that cannot be compared (sizes too different, too small for SSIM), with a stable error id.</summary>
public sealed class ImageComparisonException : ArgumentException
{
    public ImageComparisonException(string errorId, string message)
        : base(message)
    {
        ErrorId = errorId;
    }

    public string ErrorId { get; }
}
