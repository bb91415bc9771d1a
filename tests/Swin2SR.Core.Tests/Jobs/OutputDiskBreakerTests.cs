using Swin2SR.Core.Imaging;
using Swin2SR.Core.Jobs;
using Swin2SR.Core.Pipeline;

namespace Swin2SR.Core.Tests.Jobs;

public class OutputDiskBreakerTests
{
    private static UpscaleResult Outcome(string name, string? errorId) => new(
        new UpscaleItem($"/in/{name}", $"/out/{name}", "Same"),
        errorId is null ? UpscaleStatus.Succeeded : UpscaleStatus.Failed, 8, 8, 16, 16, 2, "m", TimeSpan.Zero,
        errorId is null ? null : new UpscaleError(errorId, ImageErrorKind.WriteFailed, "", null));

    private static UpscaleResult Skipped(string name) =>
        Outcome(name, null) with { Status = UpscaleStatus.Skipped, Error = new UpscaleError("AlreadyDone", ImageErrorKind.WriteFailed, "", null) };

    [Fact]
    public void Three_full_disks_in_a_row_trip_it_at_the_third_whatever_wrote_nothing_between_them()
    {
        var breaker = new OutputDiskBreaker();
        Assert.False(breaker.Observe(Outcome("a.png", "DiskFull")));
        Assert.False(breaker.Observe(Outcome("b.png", "CorruptImage")));
        Assert.False(breaker.Observe(Outcome("c.png", "DiskFull")));
        Assert.False(breaker.Observe(Skipped("d.png")));
        Assert.True(breaker.Observe(Outcome("e.png", "DiskFull")));
        Assert.Equal(new OutputDiskStop("/out/e.png", ReadOnly: false), breaker.Tripped);
        Assert.True(breaker.Observe(Outcome("f.png", null)), "once tripped, it stays tripped");
        Assert.Equal(new OutputDiskStop("/out/e.png", ReadOnly: false), breaker.Tripped);
    }

    [Fact]
    public void A_written_output_between_them_shows_the_disk_has_room()
    {
        // One output too large for the space left, among smaller ones that fit: the run goes on.
        var breaker = new OutputDiskBreaker();
        foreach (var (name, error) in new[] { ("a", "DiskFull"), ("b", "DiskFull"), ("c", (string?)null), ("d", "DiskFull"), ("e", "DiskFull"), ("f", null) })
            Assert.False(breaker.Observe(Outcome(name, error)), name);
        Assert.Null(breaker.Tripped);
    }

    // What the writer reports for an output it cannot create: errno EROFS (30) for a read-only mount, EACCES for a folder without permission.
    private static UpscaleResult NotWritable(string name, Exception cause) =>
        Outcome(name, "OutputNotWritable") with
        {
            Error = new UpscaleError("OutputNotWritable", ImageErrorKind.WriteFailed, "", new ImageInputException("OutputNotWritable", ImageErrorKind.WriteFailed, $"/out/{name}", "", cause)),
        };

    [Fact]
    public void Three_outputs_in_a_row_on_a_read_only_disk_trip_it_and_say_so()
    {
        var breaker = new OutputDiskBreaker();
        Assert.False(breaker.Observe(NotWritable("a.png", new IOException("Read-only file system", 30))));
        Assert.False(breaker.Observe(NotWritable("b.png", new IOException("Read-only file system", 30))));
        Assert.True(breaker.Observe(NotWritable("c.png", new IOException("Read-only file system", 30))));
        Assert.Equal(new OutputDiskStop("/out/c.png", ReadOnly: true), breaker.Tripped);
    }

    [Fact]
    public void A_folder_without_write_permission_is_that_folder_alone_and_does_not_trip_it()
    {
        var breaker = new OutputDiskBreaker();
        for (int i = 0; i < 5; i++)
            Assert.False(breaker.Observe(NotWritable($"{i}.png", new UnauthorizedAccessException("Access denied"))));
        Assert.Null(breaker.Tripped);
    }
}
