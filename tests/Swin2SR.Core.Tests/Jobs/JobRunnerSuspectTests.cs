using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Jobs;
using Swin2SR.Core.Jobs.Sqlite;
using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Jobs;

/// <summary>
/// Items a crashed worker left behind: the next worker runs each alone, after the fresh items, so that a crash
/// counts only against the image that caused it; an image lost for the third time fails as WorkerLost unrun.
/// </summary>
public sealed class JobRunnerSuspectTests : IDisposable
{
    private static readonly string Model = RepoPaths.TestModel("nearest-x2");
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Lost_items_run_alone_after_the_fresh_ones_and_one_lost_three_times_fails_as_WorkerLost_unrun()
    {
        // Flat images of distinct greys, three tiles each (84x16 and its edge context, 96x32, in tiles of 16 and room for
        // the context, 32; batches of two straddle images): a tile's first input value says which image it is from.
        var greys = Enumerable.Range(0, 8).Select(i => (byte)(20 + 25 * i)).ToArray();
        var inputs = greys.Select((grey, i) =>
        {
            string path = _folder.File("in", $"img{i}.png");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            TestImages.SavePng(path, Enumerable.Repeat(new Rgb24(grey, grey, grey), 84 * 16).ToArray(), 84, 16);
            return path;
        }).ToList();
        using var store = new SqliteJobStore(_folder.File("jobs.db"));
        var options = new JobOptions { ModelPath = Model, OutputDirectory = _folder.File("out"), TileSize = 16, TileOverlap = 0, BatchSize = 2, MinConsistencyPsnr = 0 };
        var (job, _, _) = JobPlanner.AddInputs(store, "crashes", options, inputs);

        // A worker crashed working on the first three images (it had queued a fourth, which is no suspect); two more
        // crashed on the first image alone.
        var lost = store.Claim(job.Id, "crashed0", 4, DateTimeOffset.UtcNow.AddMinutes(1)).Take(3).ToList();
        Assert.All(lost, c => Assert.True(store.TryBegin("crashed0", c.Id)));
        store.ExpireWorkers(job.Id, ["crashed0"]);
        foreach (string worker in new[] { "crashed1", "crashed2" })
        {
            Assert.Equal(lost[0].Id, store.ClaimSuspect(job.Id, worker, DateTimeOffset.UtcNow.AddMinutes(1))!.Id);
            Assert.True(store.TryBegin(worker, lost[0].Id));
            store.ExpireWorkers(job.Id, [worker]);
        }

        // The first batch waits half a second, as a device warming up does: the fresh images' tiles queue up and mix.
        using var device = new ScriptedRunner(Model, "cpu", (call, _, _) => { if (call == 1) Thread.Sleep(500); return null; }, TimeSpan.FromMilliseconds(20));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var runner = JobRunner.Start(store, job, [device], [], stop.Token);
        var results = new List<UpscaleResult>();
        await foreach (var result in runner.Results.ReadAllAsync())
            results.Add(result);
        await runner.Completion;

        Assert.Equal(inputs.Order(), results.Select(r => r.Item.InputPath).Order());
        var poison = results.Single(r => r.Item.InputPath == inputs[0]);
        Assert.Equal((UpscaleStatus.Failed, "WorkerLost", ImageErrorKind.WorkerLost), (poison.Status, poison.Error!.ErrorId, poison.Error.Kind));
        Assert.Contains(inputs[0], poison.Error.Message);
        Assert.Contains("3 times", poison.Error.Message);
        Assert.Contains("-RetryFailed", poison.Error.Message);
        Assert.False(File.Exists(poison.Item.OutputPath), "the image was not run");
        Assert.All(results.Where(r => r != poison), r => Assert.Equal(UpscaleStatus.Succeeded, r.Status));
        var journal = store.Items(job.Id, null).ToDictionary(i => i.InputPath);
        Assert.Equal((ItemStatus.Failed, "WorkerLost"), (journal[inputs[0]].Status, journal[inputs[0]].ErrorId));

        // Which image each tile came from, batch by batch in the order they ran.
        var batches = device.FirstValues.Select(batch => batch.Select(v => Array.IndexOf(greys, (byte)Math.Round(v * 255))).ToArray()).ToList();
        Assert.DoesNotContain(batches, batch => batch.Contains(0));
        var fresh = batches.TakeWhile(batch => batch.All(image => image >= 3)).ToList();
        Assert.Contains(fresh, batch => batch.Distinct().Count() > 1);
        var suspects = batches.Skip(fresh.Count).Select(batch => Assert.Single(batch.Distinct())).ToList();
        Assert.Equal([1, 2], suspects.Where((image, i) => i == 0 || suspects[i - 1] != image));

        var notes = Drain(runner.TryTakeNote);
        Assert.Contains(notes, n => n.Contains("each runs alone"));
        var details = Drain(runner.TryTakeDetail);
        Assert.Contains(details, d => d.Contains($"Running '{inputs[1]}' alone: its worker was lost 1 time(s)."));
    }

    private delegate bool TryTake(out string text);

    private static List<string> Drain(TryTake take)
    {
        var taken = new List<string>();
        while (take(out var text))
            taken.Add(text);
        return taken;
    }
}
