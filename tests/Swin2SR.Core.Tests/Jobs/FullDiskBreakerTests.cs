using Swin2SR.Core.Imaging;
using Swin2SR.Core.Jobs;
using Swin2SR.Core.Pipeline;

namespace Swin2SR.Core.Tests.Jobs;

public class FullDiskBreakerTests
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
        var breaker = new FullDiskBreaker();
        Assert.False(breaker.Observe(Outcome("a.png", "DiskFull")));
        Assert.False(breaker.Observe(Outcome("b.png", "CorruptImage")));
        Assert.False(breaker.Observe(Outcome("c.png", "DiskFull")));
        Assert.False(breaker.Observe(Skipped("d.png")));
        Assert.True(breaker.Observe(Outcome("e.png", "DiskFull")));
        Assert.Equal("/out/e.png", breaker.TrippedAt);
        Assert.True(breaker.Observe(Outcome("f.png", null)), "once tripped, it stays tripped");
        Assert.Equal("/out/e.png", breaker.TrippedAt);
    }

    [Fact]
    public void A_written_output_between_them_shows_the_disk_has_room()
    {
        // One output too large for the space left, among smaller ones that fit: the run goes on.
        var breaker = new FullDiskBreaker();
        foreach (var (name, error) in new[] { ("a", "DiskFull"), ("b", "DiskFull"), ("c", (string?)null), ("d", "DiskFull"), ("e", "DiskFull"), ("f", null) })
            Assert.False(breaker.Observe(Outcome(name, error)), name);
        Assert.Null(breaker.TrippedAt);
    }
}
