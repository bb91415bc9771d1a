using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>The hidden temp files of killed writes: removed for their own output only, each folder listed once a run.</summary>
public sealed class LeftTemporaryFilesTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>What <see cref="ImageWriter"/> leaves when its process is killed mid-write: ".&lt;name&gt;.&lt;32 hex&gt;.tmp" beside the output.</summary>
    private string Leave(string outputName)
    {
        string path = _folder.File($".{outputName}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(path, "partial");
        return path;
    }

    [Fact]
    public void The_temp_files_of_an_output_are_removed_and_those_of_other_outputs_are_left()
    {
        string stale = Leave("a.png");
        string other = Leave("ab.png");
        string unrelated = _folder.File(".a.png.notours.tmp");
        File.WriteAllText(unrelated, "another program's");
        new LeftTemporaryFiles().RemoveFor(_folder.File("a.png"));
        Assert.Equal(new[] { other, unrelated }.Order(StringComparer.Ordinal), Directory.EnumerateFiles(_folder.Path).Order(StringComparer.Ordinal));
        Assert.False(File.Exists(stale));
    }

    [Fact]
    public void A_temp_file_that_appeared_after_the_folder_was_listed_is_a_write_in_progress_unless_the_item_was_interrupted()
    {
        string before = Leave("b.png");
        var left = new LeftTemporaryFiles();
        left.RemoveFor(_folder.File("a.png"));
        // Written by this run after the listing: the first listing is the one each output of the folder is checked against.
        string during = Leave("c.png");
        left.RemoveFor(_folder.File("b.png"));
        left.RemoveFor(_folder.File("c.png"));
        Assert.False(File.Exists(before));
        Assert.True(File.Exists(during));
        // The item's earlier attempt was cut off after the listing: its folder is looked at again.
        left.RemoveFor(_folder.File("c.png"), listAgain: true);
        Assert.False(File.Exists(during));
    }

    [Fact]
    public void An_output_folder_that_does_not_exist_yet_has_nothing_to_remove()
    {
        new LeftTemporaryFiles().RemoveFor(_folder.File("missing", "a.png"));
        Assert.False(Directory.Exists(_folder.File("missing")));
    }
}
