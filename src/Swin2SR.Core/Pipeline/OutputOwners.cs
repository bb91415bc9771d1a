using System.Collections.Concurrent;

namespace Swin2SR.Core.Pipeline;

/// <summary>
/// Which input of a run writes each output: the first to reach the decoder. Two inputs can share an output
/// (photo.jpg and photo.png with -Format Png); where an existing output may be replaced (-Force, or an output the job
/// wrote before) the later write would silently replace the earlier one, both reported as successes. The second is
/// refused before it is decoded instead.
/// </summary>
internal sealed class OutputOwners
{
    // Hashes, not paths: a run of a million images keeps 16 MB here, not the paths' hundreds. Two paths share a
    // 64-bit hash with odds of about one in 10^7 in such a run, and that costs one image an OutputCollision, no output.
    private readonly ConcurrentDictionary<ulong, ulong> _owners = new();

    /// <summary>True when <paramref name="item"/>'s input is the one that writes its output (again, for a retry).</summary>
    public bool TryClaim(UpscaleItem item)
    {
        ulong input = Hash(item.InputPath);
        return _owners.GetOrAdd(Hash(item.OutputPath), input) == input;
    }

    // FNV-1a over the path as the file system compares it (Windows ignores case).
    private static ulong Hash(string path)
    {
        string key = OperatingSystem.IsWindows() ? path.ToUpperInvariant() : path;
        ulong hash = 14695981039346656037;
        foreach (char c in key)
        {
            hash ^= c;
            hash *= 1099511628211;
        }
        return hash;
    }
}
