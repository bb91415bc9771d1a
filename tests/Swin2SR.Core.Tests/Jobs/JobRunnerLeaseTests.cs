using Npgsql;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Jobs;
using Swin2SR.Core.Jobs.Postgres;
using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Jobs;

/// <summary>
/// How a worker leases items on a shared store: no more at once than its limit, however slowly its commits go
/// through, and with nothing left to claim it stays to take over what another worker abandons.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class JobRunnerLeaseTests : IDisposable
{
    private static readonly string NearestX2 = RepoPaths.TestModel("nearest-x2");
    private readonly string _connectionString;
    private readonly TempFolder _folder = new();

    public JobRunnerLeaseTests(PostgresServer server) => _connectionString = server.CreateDatabase();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_lease_renewed_just_before_a_store_outage_the_worker_rides_out_still_holds_when_the_store_is_back()
    {
        // Renewed every third of a lease; the store then lost for as long as a run waits for it.
        var renewal = JobRunner.DefaultLeaseDuration / 3;
        var outage = JobStoreAccess.Run().RetryBudget;

        Assert.True(renewal + outage < JobRunner.DefaultLeaseDuration,
            $"a lease of {JobRunner.DefaultLeaseDuration} runs out during an outage of {outage} that began {renewal} after its renewal");
    }

    [Fact]
    public async Task A_worker_whose_commits_wait_claims_no_more_than_its_lease_limit_and_finishes_once_they_go_through()
    {
        const int count = 400;
        var inputs = Inputs(count);
        using var store = new PostgresJobStore(_connectionString);
        var (job, _, _) = JobPlanner.AddInputs(store, "lagging", Options, inputs);
        using var model = TileModel.LoadCpu(NearestX2, cores: 1);

        using var stop = new CancellationTokenSource();
        var runner = JobRunner.Start(store, job, [model], [], stop.Token);
        try
        {
            // A commit credits the worker's row, so while another transaction holds that row every commit waits
            // (claims do not touch it), as behind a slow or contended server.
            await using var blocker = new NpgsqlConnection(_connectionString);
            await blocker.OpenAsync();
            await using var hold = await blocker.BeginTransactionAsync();
            await LockWorkerRow(blocker, hold, runner.WorkerId);

            int limit = runner.LeaseLimit;
            Assert.InRange(limit, 1, count / 2);
            // A claim waits for room for a whole claim batch, so claiming stops less than one batch short of the limit.
            int least = limit - JobRunner.ClaimBatch + 1;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (Leased(store, job.Id) < least && DateTime.UtcNow < deadline)
                await Task.Delay(50);
            await Task.Delay(1000);
            int held = Leased(store, job.Id);
            Assert.InRange(held, least, limit);
            await Task.Delay(500);
            Assert.Equal(held, Leased(store, job.Id));

            await hold.RollbackAsync();
            Assert.Equal(count, (await RunnerSupport.ReadAll(runner)).Count);
            await runner.Completion;
        }
        finally
        {
            // The model is disposed after this: the run must be over first, even when an assertion failed.
            stop.Cancel();
            await runner.Completion.ContinueWith(_ => { }, TaskScheduler.Default);
        }
        var items = store.Items(job.Id, null);
        Assert.All(items, i => Assert.Equal((ItemStatus.Succeeded, 1), (i.Status, i.Attempts)));
        Assert.Equal(count, items.Count);
    }

    [Fact]
    public async Task A_worker_with_nothing_left_to_claim_stays_until_it_has_taken_over_what_another_worker_abandoned()
    {
        var inputs = Inputs(12);
        using var store = new PostgresJobStore(_connectionString);
        var (job, _, _) = JobPlanner.AddInputs(store, "abandoned", Options, inputs);
        // A worker on another host works on four items; its heartbeat is fresh, so nothing frees them until its
        // lease is made to lapse, as when that host loses the network.
        var absent = RegisterWorkerOfHost(store, job.Id, "elsewhere");
        var abandoned = store.Claim(job.Id, absent.Id, 4, OneLease).Select(c => c.Id).ToHashSet();
        Assert.Equal(4, abandoned.Count);
        Assert.All(abandoned, id => Assert.True(store.TryBegin(absent.Id, id)));
        using var model = TileModel.LoadCpu(NearestX2, cores: 1);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var runner = JobRunner.Start(store, job, [model], [], stop.Token);
        var reading = RunnerSupport.ReadAll(runner);
        // The lease lapses only once the runner has done everything else and says it stands by. (Lapsing it once the
        // other items were committed raced the runner's last claims: it could take the four over without waiting.)
        const string standingBy = "staying until the other workers finish the 4 items they hold";
        await DetailsUntil(runner, standingBy);
        Assert.Equal(inputs.Count - abandoned.Count, store.Items(job.Id, [ItemStatus.Succeeded]).Count);
        store.ExpireWorkers(job.Id, [absent.Id]);
        var results = await reading;
        await runner.Completion;

        Assert.False(stop.IsCancellationRequested, "the runner finished on its own");
        Assert.Equal(inputs.Count, results.Count);
        Assert.Equal(inputs.Order(), results.Select(r => r.Item.InputPath).Order());
        Assert.All(results, r => Assert.Equal(UpscaleStatus.Succeeded, r.Status));
        var items = store.Items(job.Id, null);
        Assert.All(items, i => Assert.Equal((ItemStatus.Succeeded, abandoned.Contains(i.Id) ? 2 : 1), (i.Status, i.Attempts)));
    }

    [Fact]
    public async Task A_worker_that_joins_late_takes_over_what_another_worker_only_queued_and_its_loss_costs_no_lost_lease()
    {
        var inputs = Inputs(12);
        using var store = new PostgresJobStore(_connectionString);
        var (job, _, _) = JobPlanner.AddInputs(store, "small", Options, inputs);
        // A live worker on another host claimed the whole small job ahead of its pipeline, and has begun none of it.
        var early = RegisterWorkerOfHost(store, job.Id, "early");
        var queued = store.Claim(job.Id, early.Id, inputs.Count, OneLease);
        Assert.Equal(inputs.Count, queued.Count);
        using var model = TileModel.LoadCpu(NearestX2, cores: 1);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var runner = JobRunner.Start(store, job, [model], [], stop.Token);
        var reading = RunnerSupport.ReadAll(runner);
        // Half of what is queued first (its own queue being empty), again and again, down to a queue of one, which
        // stays with its owner while it lives.
        var details = await DetailsUntil(runner, "Nothing left to claim");
        Assert.Contains(details, d => d.StartsWith($"Took {queued.Count / 2} queued images over"));
        await Until(() => store.Items(job.Id, [ItemStatus.Succeeded]).Count == queued.Count - 1);
        var left = Assert.Single(store.Items(job.Id, [ItemStatus.Pending]));
        Assert.Equal(early.Id, left.LeaseOwner);
        Assert.All(queued.Where(c => c.Id != left.Id), c => Assert.False(store.TryBegin(early.Id, c.Id), "the early worker cannot begin what was taken over"));

        // The early worker is lost before it began its last item: that item is fresh work, not a suspect to run alone.
        store.ExpireWorkers(job.Id, [early.Id]);
        var results = await reading;
        await runner.Completion;
        Assert.False(stop.IsCancellationRequested, "the runner finished on its own");
        Assert.Equal(inputs.Order(), results.Select(r => r.Item.InputPath).Order());
        Assert.All(results, r => Assert.Equal(UpscaleStatus.Succeeded, r.Status));
        Assert.All(store.Items(job.Id, null), i => Assert.Equal((ItemStatus.Succeeded, 1), (i.Status, i.Attempts)));
        Assert.False(runner.TryTakeNote(out var note), $"no image was taken over as a suspect: {note}");
    }

    [Fact]
    public async Task Items_taken_back_from_a_worker_that_took_them_over_are_upscaled_once()
    {
        var inputs = Inputs(24);
        using var store = new PostgresJobStore(_connectionString);
        var (job, _, _) = JobPlanner.AddInputs(store, "pingpong", Options, inputs);
        // A slow device: the runner claims the whole job and most of it waits, queued, in its channel.
        var device = SlowDevice();
        var other = RegisterWorkerOfHost(store, job.Id, "other");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var runner = JobRunner.Start(store, job, [device], [], stop.Token);
        var reading = RunnerSupport.ReadAll(runner);
        // Another worker takes the end of the runner's queue and begins none of it; the runner, with nothing left to
        // claim, takes half of that back while its own copies of those items still wait in its channel.
        var stolen = new List<ClaimedItem>();
        while (stolen.Count == 0 && !stop.IsCancellationRequested)
        {
            if (store.Items(job.Id, [ItemStatus.Pending]).All(i => i.LeaseOwner is not null))
                stolen.AddRange(store.StealQueued(job.Id, other.Id, JobRunner.ClaimBatch, OneLease));
            await Task.Delay(10);
        }
        var details = await DetailsUntil(runner, "Nothing left to claim");
        await Until(() => store.Items(job.Id, [ItemStatus.Succeeded]).Count == inputs.Count - 1);
        Assert.Equal(1, store.ItemsHeldByOthers(job.Id, runner.WorkerId));
        store.ExpireWorkers(job.Id, [other.Id]);
        var results = await reading;
        await runner.Completion;

        Assert.Contains(details, d => d.StartsWith("Took ") && d.Contains("queued"));
        Assert.Equal(inputs.Order(), results.Select(r => r.Item.InputPath).Order());
        Assert.All(results, r => Assert.Equal(UpscaleStatus.Succeeded, r.Status));
        Assert.All(store.Items(job.Id, null), i => Assert.Equal((ItemStatus.Succeeded, 1), (i.Status, i.Attempts)));
    }

    [Fact]
    public async Task A_worker_that_can_no_longer_poll_for_a_stop_or_renew_its_leases_ends_with_the_stores_error()
    {
        var inputs = Inputs(40);
        using var store = new PostgresJobStore(_connectionString);
        var (job, _, _) = JobPlanner.AddInputs(store, "unwatched", Options, inputs);
        var device = SlowDevice();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var runner = JobRunner.Start(store, job, [device], [], stop.Token);
        var reading = RunnerSupport.ReadAll(runner);
        await Until(() => store.Items(job.Id, [ItemStatus.Succeeded]).Count > 0);
        // From now on only the once-a-second poll for a Stop fails, for good (as after an outage longer than the
        // retry budget): claims and commits still go through. Going on would mean working without heartbeats.
        await using (var connection = new NpgsqlConnection(_connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("ALTER TABLE swin2sr.jobs RENAME COLUMN stop_requested TO stop_requested_gone", connection);
            await command.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<JobStoreException>(() => reading);
        Assert.Contains("stop_requested", error.Message);
        await Assert.ThrowsAsync<JobStoreException>(() => runner.Completion);
        Assert.False(stop.IsCancellationRequested, "the run ended on its own, not at the test's deadline");
        Assert.InRange(store.Items(job.Id, [ItemStatus.Succeeded]).Count, 1, inputs.Count - 1);
        Assert.Empty(store.Workers(job.Id));
    }

    [Fact]
    public async Task A_worker_whose_lease_lapsed_leaves_out_the_outcomes_of_images_another_worker_took_over()
    {
        var inputs = Inputs(12);
        using var store = new PostgresJobStore(_connectionString);
        var (job, _, _) = JobPlanner.AddInputs(store, "paused", Options, inputs);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var runner = JobRunner.Start(store, job, [SlowDevice()], [], stop.Token);
        var reading = RunnerSupport.ReadAll(runner);
        // The runner's leases lapse while it works (as while its process was stopped), and another worker takes over
        // an image it has begun and commits it first.
        var rescuer = RegisterWorkerOfHost(store, job.Id, "rescuer");
        ClaimedItem? taken = null;
        while (taken is null && !stop.IsCancellationRequested)
        {
            if (store.Items(job.Id, [ItemStatus.Running]).Count > 0)
            {
                store.ExpireWorkers(job.Id, [runner.WorkerId]);
                taken = store.ClaimSuspect(job.Id, rescuer.Id, OneLease);
            }
            await Task.Delay(10);
        }
        Assert.NotNull(taken);
        Assert.True(store.TryBegin(rescuer.Id, taken.Id));
        Assert.Equal([taken.Id], store.Complete(rescuer.Id, [new ItemOutcome(taken.Id, ItemStatus.Succeeded, null, null, 1, 16, 16, 32, 32)]));
        var results = await reading;
        await runner.Completion;

        Assert.Equal(inputs.Where(i => i != taken.InputPath).Order(), results.Select(r => r.Item.InputPath).Order());
        Assert.True(runner.TryTakeNote(out var note));
        Assert.StartsWith("1 image was taken over by another worker", note);
        Assert.Contains(taken.InputPath, note);
        Assert.All(store.Items(job.Id, null), i => Assert.Equal(ItemStatus.Succeeded, i.Status));
    }

    [Fact]
    public async Task A_worker_whose_job_is_removed_under_it_reports_what_it_finished_and_blames_no_other_worker()
    {
        var inputs = Inputs(40);
        using var store = new PostgresJobStore(_connectionString);
        var (job, _, _) = JobPlanner.AddInputs(store, "removed", Options, inputs);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var runner = JobRunner.Start(store, job, [SlowDevice()], [], stop.Token);
        var reading = RunnerSupport.ReadAll(runner);
        await Until(() => store.Items(job.Id, [ItemStatus.Succeeded]).Count > 0);
        int journaled = store.Items(job.Id, [ItemStatus.Succeeded]).Count;
        store.RemoveJob(job.Id);
        var results = await reading;
        await runner.Completion;

        // The images begun before the removal are still written and reported (those journaled by then, and those in
        // flight), the others dropped (the cmdlet says the job is gone).
        Assert.InRange(results.Count, journaled + 1, inputs.Count - 1);
        Assert.All(results, r => Assert.Equal(UpscaleStatus.Succeeded, r.Status));
        Assert.False(runner.TryTakeNote(out var note), $"no image was said to be another worker's: {note}");
    }

    /// <summary>A live worker of another host on the job (its heartbeat fresh), whose items only the test moves.</summary>
    private static WorkerRecord RegisterWorkerOfHost(IJobStore store, long jobId, string host)
    {
        var now = DateTimeOffset.UtcNow;
        var worker = new WorkerRecord($"{host}:4242:0badf00d", host, 4242, 0, "cpu", now, now, 0);
        store.RegisterWorker(jobId, worker);
        return worker;
    }

    /// <summary>A device that takes 200 ms an image: a run of a few dozen lasts seconds.</summary>
    private static ScriptedRunner SlowDevice() => new(NearestX2, "cpu", latency: TimeSpan.FromMilliseconds(200));

    private static DateTimeOffset OneLease => DateTimeOffset.UtcNow + JobRunner.DefaultLeaseDuration;

    /// <summary>Waits for <paramref name="condition"/> (30 s at most), and fails if it never held.</summary>
    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition() && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.True(condition(), "the condition held within 30 s");
    }

    /// <summary>The runner's verbose lines, as they come, up to the one that contains <paramref name="text"/> (30 s at most).</summary>
    private static async Task<List<string>> DetailsUntil(JobRunner runner, string text)
    {
        var details = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!details.Any(d => d.Contains(text)) && DateTime.UtcNow < deadline)
        {
            while (runner.TryTakeDetail(out var detail))
                details.Add(detail);
            await Task.Delay(50);
        }
        Assert.Contains(details, d => d.Contains(text));
        return details;
    }

    private JobOptions Options => new() { ModelPath = NearestX2, OutputDirectory = _folder.File("out"), TileSize = 16, TileOverlap = 0 };

    private List<string> Inputs(int count) => RunnerSupport.SmallInputs(_folder, count);

    private static int Leased(IJobStore store, long jobId) => store.Items(jobId, null).Count(i => i.LeaseOwner is not null);

    /// <summary>Locks the worker's row in <paramref name="tx"/>, once the worker has registered it.</summary>
    private static async Task LockWorkerRow(NpgsqlConnection connection, NpgsqlTransaction tx, string workerId)
    {
        await using var command = new NpgsqlCommand("SELECT id FROM swin2sr.workers WHERE id = $1 FOR UPDATE", connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = workerId });
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await command.ExecuteScalarAsync() is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the worker registered itself");
            await Task.Delay(10);
        }
    }
}
