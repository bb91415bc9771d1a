using Swin2SR.Core.Jobs;
using Swin2SR.Core.Jobs.Postgres;
using Swin2SR.Core.Jobs.Sqlite;
using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Jobs;

/// <summary>
/// A runner that takes new items handed to it (<see cref="JobHandOff"/>), against runs that add items to its job while
/// it works and as it ends: every item a run left to it, because it read the runner accepting, is done by the runner.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class JobRunnerHandOffTests : IDisposable
{
    private const string Signature = "same-options";
    private static readonly string NearestX2 = RepoPaths.TestModel("nearest-x2");
    private readonly PostgresServer _server;
    private readonly TempFolder _folder = new();

    public JobRunnerHandOffTests(PostgresServer server) => _server = server;

    public void Dispose() => _folder.Dispose();

    private IJobStore OpenStore(string engine) =>
        engine == "postgres" ? new PostgresJobStore(_server.CreateDatabase()) : new SqliteJobStore(_folder.File("jobs.db"));

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Every_image_handed_to_a_runner_while_it_accepted_is_upscaled_by_it_even_as_it_was_about_to_end(string engine)
    {
        using var store = OpenStore(engine);
        // Images come at random moments, some further apart than the runner takes to run dry: it ends in such a gap,
        // with images arriving around its last claims.
        using var device = new ScriptedRunner(NearestX2, "cpu", latency: TimeSpan.FromMilliseconds(20));
        var random = new Random(20261207);
        int handedInAll = 0;
        for (int round = 0; round < 4; round++)
        {
            var (job, _, _) = JobPlanner.AddInputs(store, $"hot{round}", Options, Inputs($"r{round}-first", 4));
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var runner = JobRunner.Start(store, job, [device], [], stop.Token, accepts: Signature);
            var reading = RunnerSupport.ReadAll(runner);
            var handed = new List<string>();
            foreach (var input in Inputs($"r{round}-new", 40))
            {
                JobPlanner.AddInputs(store, job.Name, Options, [input]);
                if (JobHandOff.RunTakingNewItems(store, job.Id, Signature)?.Id != runner.WorkerId)
                    break;
                handed.Add(input);
                await Task.Delay(random.Next(0, 400));
            }
            var results = await reading;
            await runner.Completion;

            Assert.False(stop.IsCancellationRequested, "the runner ended on its own");
            Assert.Subset(results.Select(r => r.Item.InputPath).ToHashSet(), handed.ToHashSet());
            Assert.All(results, r => Assert.Equal(UpscaleStatus.Succeeded, r.Status));
            Assert.Empty(store.Workers(job.Id));
            handedInAll += handed.Count;
        }
        Assert.True(handedInAll > 0, "images were handed to the runner while it ran");
    }

    [Fact]
    public async Task A_runner_says_what_it_accepts_while_it_claims_and_one_given_nothing_to_accept_says_nothing()
    {
        using var store = OpenStore("sqlite");
        using var first = new ScriptedRunner(NearestX2, "cpu", latency: TimeSpan.FromMilliseconds(200));
        using var second = new ScriptedRunner(NearestX2, "cpu", latency: TimeSpan.FromMilliseconds(200));
        var (job, _, _) = JobPlanner.AddInputs(store, "busy", Options, Inputs("busy", 6));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var taking = JobRunner.Start(store, job, [first], [], stop.Token, accepts: Signature);
        var closed = JobRunner.Start(store, job, [second], [], stop.Token);
        var reading = Task.WhenAll(RunnerSupport.ReadAll(taking), RunnerSupport.ReadAll(closed));
        // Both registered as they started.
        var rows = store.Workers(job.Id).ToDictionary(w => w.Id, w => w.Accepts);
        Assert.Equal(Signature, rows[taking.WorkerId]);
        Assert.Null(rows[closed.WorkerId]);
        await reading;
        await Task.WhenAll(taking.Completion, closed.Completion);
        Assert.All(store.Items(job.Id, null), i => Assert.Equal(ItemStatus.Succeeded, i.Status));
    }

    private JobOptions Options => new() { ModelPath = NearestX2, OutputDirectory = _folder.File("out"), TileSize = 16, TileOverlap = 0 };

    private List<string> Inputs(string prefix, int count) => RunnerSupport.SmallInputs(_folder, count, $"{prefix}-");
}
