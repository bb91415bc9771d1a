using Swin2SR.Core.Pipeline;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// Deletes the hidden temp files that writers killed mid-write left beside their outputs (see <see cref="ImageWriter"/>).
/// Each output folder is listed once, the first time one of its outputs is asked about, and its temp files are kept
/// for the outputs that follow: a run into one folder of 20,000 outputs listed the whole folder again for every
/// image, and took 3 ms an image of system time by the end (quadratic in the folder's size). A temp file that
/// appears after the listing is a write of this run or of a live worker, not a stale one, unless the item's
/// earlier attempt was cut off since (<see cref="UpscaleItem.Interrupted"/>): that output's folder is listed again.
/// Safe for several threads.
/// </summary>
public sealed class LeftTemporaryFiles
{
    private readonly Dictionary<string, List<string>> _byFolder = new(OutputPlanner.PathComparer);

    /// <summary>Deletes the temp files left for <paramref name="outputPath"/>.</summary>
    /// <param name="listAgain">An earlier writer of this output may have been killed after the folder was listed.</param>
    public void RemoveFor(string outputPath, bool listAgain = false)
    {
        string? folder = Path.GetDirectoryName(outputPath);
        if (folder is null)
            return;
        List<string> mine;
        if (listAgain)
        {
            mine = Take(List(folder), outputPath);
        }
        else
        {
            lock (_byFolder)
                mine = Take(Listed(folder), outputPath);
        }
        foreach (var file in mine)
            ImageWriter.TryDelete(file);
    }

    /// <summary>Whether a temp file of <paramref name="outputPath"/> is left (as its folder was first listed).</summary>
    public bool AnyFor(string outputPath)
    {
        string? folder = Path.GetDirectoryName(outputPath);
        if (folder is null)
            return false;
        lock (_byFolder)
            return Listed(folder).Exists(f => ImageWriter.IsTemporaryFileOf(Path.GetFileName(f), outputPath));
    }

    // Called under the lock.
    private List<string> Listed(string folder)
    {
        if (!_byFolder.TryGetValue(folder, out var listed))
            _byFolder[folder] = listed = List(folder);
        return listed;
    }

    /// <summary>The temp files of <paramref name="outputPath"/> in <paramref name="listed"/>, taken out of it.</summary>
    private static List<string> Take(List<string> listed, string outputPath)
    {
        var mine = listed.Where(f => ImageWriter.IsTemporaryFileOf(Path.GetFileName(f), outputPath)).ToList();
        if (mine.Count > 0)
            listed.RemoveAll(mine.Contains);
        return mine;
    }

    private static List<string> List(string folder)
    {
        try
        {
            return Directory.Exists(folder) ? Directory.EnumerateFiles(folder, ImageWriter.TemporaryFilePattern).ToList() : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A folder that cannot be listed cannot be written either: the write reports that, for this image only.
            return [];
        }
    }
}
