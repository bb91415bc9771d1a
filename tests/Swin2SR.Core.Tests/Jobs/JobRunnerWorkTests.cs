using SixLabors.ImageSharp.PixelFormats;
using Swin2SR.Core.Jobs;
using Swin2SR.Core.Jobs.Sqlite;
using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Jobs;

/// <summary>What a run counts its time remaining in: the input bytes of what it upscaled, and of what it skipped.</summary>
public sealed class JobRunnerWorkTests : IDisposable
{
    private static readonly string Model = RepoPaths.TestModel("nearest-x2");
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_run_counts_the_bytes_of_the_inputs_it_upscaled_and_of_those_whose_output_existed_apart()
    {
        Directory.CreateDirectory(_folder.File("in"));
        var inputs = new[] { ("small", 8), ("large", 64), ("done", 16) }.Select(image =>
        {
            string path = _folder.File("in", $"{image.Item1}.png");
            int side = image.Item2;
            TestImages.SavePng(path, Enumerable.Range(0, side * side).Select(i => new Rgb24((byte)i, (byte)(i / 7), 90)).ToArray(), side, side);
            return path;
        }).ToList();
        using var store = new SqliteJobStore(_folder.File("jobs.db"));
        var options = new JobOptions { ModelPath = Model, OutputDirectory = _folder.File("out"), TileSize = 16, TileOverlap = 0, MinConsistencyPsnr = 0 };
        Directory.CreateDirectory(options.OutputDirectory);
        // Its output is there already, not the job's: the run skips it.
        File.WriteAllText(Path.Combine(options.OutputDirectory, "done.png"), "someone else's");
        var (job, _, _) = JobPlanner.AddInputs(store, "work", options, inputs);
        long countedOn = store.Summarize(job, _ => false).BytesLeft;

        using var device = new ScriptedRunner(Model, "cpu");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var runner = JobRunner.Start(store, job, [device], [], stop.Token);
        var results = new List<UpscaleResult>();
        await foreach (var result in runner.Results.ReadAllAsync())
            results.Add(result);
        await runner.Completion;

        long Length(string name) => new FileInfo(_folder.File("in", $"{name}.png")).Length;
        Assert.Equal(UpscaleStatus.Skipped, results.Single(r => r.Item.InputPath.EndsWith("done.png")).Status);
        Assert.Equal(Length("small") + Length("large") + Length("done"), countedOn);
        Assert.Equal(new WorkBytes(countedOn, Length("small") + Length("large"), Length("done")), runner.Work(countedOn));
        Assert.Equal(TimeSpan.Zero, runner.Work(countedOn).Remaining(TimeSpan.FromSeconds(1)));
    }
}
