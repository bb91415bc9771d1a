using Swin2SR.Core.Jobs;

namespace Swin2SR.Core.Tests.Jobs;

public class WorkBytesTests
{
    [Fact]
    public void Thumbnails_done_first_leave_the_time_of_the_scans_after_them()
    {
        // 100 thumbnails of 10 kB done in 10 s; 2 scans of 5 MB left. In images (10 a second) 0.2 s would be left.
        var work = new WorkBytes(Total: 11_000_000, Worked: 1_000_000, Skipped: 0);
        Assert.Equal(TimeSpan.FromSeconds(100), work.Remaining(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Skipped_inputs_are_work_the_run_no_longer_has_and_part_of_an_image_in_flight_is_work_done()
    {
        // 4 MB counted on: 1 MB skipped (its output existed), half of a 2 MB image upscaled in 10 s, 1 MB more to go.
        var work = new WorkBytes(Total: 4_000_000, Worked: 1_000_000, Skipped: 1_000_000);
        Assert.Equal(TimeSpan.FromSeconds(20), work.Remaining(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Without_work_done_or_with_no_size_known_there_is_no_time_remaining()
    {
        Assert.Null(new WorkBytes(1_000, 0, 0).Remaining(TimeSpan.FromSeconds(10)));
        Assert.Null(default(WorkBytes).Remaining(TimeSpan.FromSeconds(10)));
    }
}
