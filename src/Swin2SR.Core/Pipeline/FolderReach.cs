using Swin2SR.Core.Imaging;

namespace Swin2SR.Core.Pipeline;

/// <summary>
/// Tells the paths that lie inside a folder reached another way than their paths show: the output folder
/// /srv/enhanced, a symbolic link (or a bind mount) to /srv/shop/out, holds the files that a listing of /srv/shop
/// finds as /srv/shop/out/a.png. The folders above each path are compared with the folder by device and inode
/// (<see cref="SpecialFiles.Identity"/>), each folder once however many files it holds. Where that cannot be told
/// (not Linux, a folder that does not exist yet) nothing is inside.
/// </summary>
internal sealed class FolderReach
{
    private readonly (ulong, uint, uint)? _folder;
    private readonly Dictionary<string, bool> _inside = new(OutputPlanner.PathComparer);

    public FolderReach(string folder) => _folder = SpecialFiles.Identity(Path.GetFullPath(folder));

    public bool Holds(string path) => _folder is not null && IsInside(Path.GetDirectoryName(Path.GetFullPath(path)));

    private bool IsInside(string? directory)
    {
        if (directory is null)
            return false;
        if (!_inside.TryGetValue(directory, out bool inside))
            _inside[directory] = inside = SpecialFiles.Identity(directory) == _folder || IsInside(Path.GetDirectoryName(directory));
        return inside;
    }
}
