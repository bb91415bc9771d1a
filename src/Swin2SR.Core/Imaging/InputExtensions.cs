namespace Swin2SR.Core.Imaging;

/// <summary>The file extensions of the images a folder given as input stands for (any case): the formats read, and MPO, a JPEG.</summary>
public static class InputExtensions
{
    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".png", ".jpg", ".jpeg", ".jpe", ".jfif", ".mpo", ".webp", ".bmp", ".dib", ".tif", ".tiff", ".gif",
    };
}
