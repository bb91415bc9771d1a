using SixLabors.ImageSharp;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// Images a folder given as input holds under names that do not say so: no extension (a shop system's export,
/// "SKU-10422"), or a readable image's extension with something after it (a browser's "photo.jpg_large", an editor's
/// "photo.png~"). The folder stands for the files named as images, so these are left out; told from their first
/// bytes, so that they are not left out unsaid. Only such names are opened: a folder's sidecars and notes are not read.
/// </summary>
public static class MisnamedImageFiles
{
    /// <summary>Enough for ImageSharp to tell every format it reads.</summary>
    private const int HeadBytes = 64;

    /// <summary>The files among <paramref name="files"/> (none named with a readable extension) that are images it reads.</summary>
    public static IReadOnlyList<string> Find(IEnumerable<string> files) =>
        files.Where(MayBeMisnamed).Where(IsReadableImage).Order(StringComparer.Ordinal).ToList();

    private static bool MayBeMisnamed(string path)
    {
        string extension = Path.GetExtension(path);
        return extension.Length == 0 || InputExtensions.All.Any(known => extension.StartsWith(known, StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsReadableImage(string path)
    {
        // A named pipe without an extension would hold the listing until something writes to it.
        if (SpecialFiles.Describe(path) is not null)
            return false;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            var head = new byte[(int)Math.Min(stream.Length, HeadBytes)];
            stream.ReadExactly(head);
            return head.Length > 0 && Image.DetectFormat(SupportedFormats.Configuration, head) is not null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone since the listing, or not readable: no image to tell of.
            return false;
        }
    }
}
