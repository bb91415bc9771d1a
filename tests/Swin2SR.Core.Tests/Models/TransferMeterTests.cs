using Swin2SR.Core.Models;

namespace Swin2SR.Core.Tests.Models;

public sealed class TransferMeterTests
{
    [Fact]
    public void Rate_and_time_left_count_only_the_bytes_of_this_session()
    {
        var now = TimeSpan.FromSeconds(10);
        var meter = new TransferMeter(() => now);
        meter.StartAt(100); // 100 bytes were on disk from an earlier session

        now += TimeSpan.FromSeconds(2);
        var progress = meter.Measure(300, 1100);

        Assert.Equal(100.0, progress.BytesPerSecond, 6); // (300 - 100) / 2 s
        Assert.Equal(TimeSpan.FromSeconds(8), progress.Remaining); // (1100 - 300) / 100
        Assert.Equal(27, progress.PercentComplete); // 300 / 1100, rounded down
    }

    [Fact]
    public void Without_a_total_or_before_any_time_passed_nothing_is_estimated()
    {
        var now = TimeSpan.Zero;
        var meter = new TransferMeter(() => now);
        meter.StartAt(0);

        Assert.Equal(0, meter.Measure(0, 10).BytesPerSecond);
        Assert.Null(meter.Measure(0, 10).Remaining);
        now = TimeSpan.FromSeconds(1);
        var unknown = meter.Measure(50, null);
        Assert.Equal(50, unknown.BytesPerSecond);
        Assert.Null(unknown.Remaining);
        Assert.Null(unknown.PercentComplete);
    }
}
