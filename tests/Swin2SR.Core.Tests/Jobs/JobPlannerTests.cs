using Swin2SR.Core.Jobs;
using Swin2SR.Core.Jobs.Sqlite;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Jobs;

/// <summary>What a rerun of a job does with inputs that failed before (JobPlanner over a real SQLite store).</summary>
public sealed class JobPlannerTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void An_input_left_failed_is_tried_again_when_the_jobs_options_change()
    {
        string input = _folder.File("huge.png");
        File.WriteAllBytes(input, [1, 2, 3]);
        using var store = new SqliteJobStore(_folder.File("jobs.db"));
        var options = new JobOptions { ModelPath = _folder.File("model.onnx"), OutputDirectory = _folder.File("out"), MaxInputMegapixels = 1 };
        var (job, _, _) = JobPlanner.AddInputs(store, "j", options, [input]);
        store.RegisterWorker(job.Id, new WorkerRecord("w", "host", 1, 0, "cpu", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 0));
        var claimed = Assert.Single(store.Claim(job.Id, "w", 1, DateTimeOffset.UtcNow.AddMinutes(1)));
        Assert.True(store.TryBegin("w", claimed.Id));
        store.Complete("w", [new ItemOutcome(claimed.Id, ItemStatus.Failed, "ImageTooLarge", "over 1 megapixel", 1, 0, 0, 0, 0)]);

        var same = JobPlanner.AddInputs(store, "j", options, [input]).Added;
        Assert.Equal([input], same.FailedBefore.Select(f => f.InputPath));
        var wider = JobPlanner.AddInputs(store, "j", options with { MaxInputMegapixels = 50 }, [input]).Added;
        Assert.Equal((1, 0), (wider.Requeued, wider.FailedBefore.Count));
    }
}
