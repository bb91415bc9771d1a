using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>
/// The rename that puts an output in place, against the errors Windows gives while another program holds a file:
/// those are the HRESULTs .NET's Win32 error mapping gives them, raised here as Windows would, since Linux renames
/// over open files and cannot produce them.
/// </summary>
public sealed class FileReplacementTests : IDisposable
{
    private static readonly IOException SharingViolation = new("The process cannot access the file because it is being used by another process.", unchecked((int)0x80070020));

    private readonly TempFolder _folder = new();
    private readonly List<TimeSpan> _waits = [];

    public void Dispose() => _folder.Dispose();

    /// <summary>A real rename of temp onto output, that fails first as often as <paramref name="held"/> says.</summary>
    private (string Temp, string Output, Action Move) Replacement(int held, Exception failure)
    {
        string temp = _folder.File(".out.png.tmp");
        string output = _folder.File("out.png");
        File.WriteAllText(temp, "new");
        File.WriteAllText(output, "old");
        int tries = 0;
        return (temp, output, () =>
        {
            if (tries++ < held)
                throw failure;
            File.Move(temp, output, overwrite: true);
        });
    }

    [Fact]
    public void On_windows_a_file_held_by_another_program_for_a_moment_is_replaced_once_it_is_let_go()
    {
        foreach (var failure in new Exception[] { SharingViolation, new UnauthorizedAccessException("Access to the path is denied.") })
        {
            _waits.Clear();
            var (temp, output, move) = Replacement(held: 2, failure);
            FileReplacement.Retry(move, windows: true, _waits.Add);
            Assert.Equal("new", File.ReadAllText(output));
            Assert.False(File.Exists(temp));
            Assert.Equal(FileReplacement.Waits.Take(2), _waits);
        }
    }

    [Fact]
    public void A_file_held_for_longer_than_the_waits_fails_with_the_error_and_keeps_the_old_output()
    {
        var (_, output, move) = Replacement(held: int.MaxValue, SharingViolation);
        var error = Assert.Throws<IOException>(() => FileReplacement.Retry(move, windows: true, _waits.Add));
        Assert.Same(SharingViolation, error);
        Assert.Equal(FileReplacement.Waits, _waits);
        Assert.Equal("old", File.ReadAllText(output));
    }

    [Fact]
    public void Errors_that_waiting_does_not_clear_fail_at_once()
    {
        var lasting = new Exception[]
        {
            new IOException("There is not enough space on the disk.", unchecked((int)0x80070070)),
            new IOException("Cannot create a file when that file already exists.", unchecked((int)0x800700B7)),
        };
        foreach (var failure in lasting)
        {
            var (_, _, move) = Replacement(held: 1, failure);
            Assert.Same(failure, Assert.ThrowsAny<Exception>(() => FileReplacement.Retry(move, windows: true, _waits.Add)));
        }
        // Off Windows an access error is the file's or folder's permissions, which stay as they are.
        var (_, _, denied) = Replacement(held: 1, new UnauthorizedAccessException());
        Assert.Throws<UnauthorizedAccessException>(() => FileReplacement.Retry(denied, windows: false, _waits.Add));
        Assert.Empty(_waits);
    }
}
