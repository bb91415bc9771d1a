using System.Collections.Concurrent;
using Swin2SR.Core.Jobs;

namespace Swin2SR.Core.Tests.Jobs;

/// <summary>
/// The job-store contract (IJobStore): every test here runs against each engine, through the subclasses
/// SqliteJobStoreTests and PostgresJobStoreTests. Each test has a store of its own.
/// </summary>
public abstract partial class JobStoreContractTests
{
    /// <summary>Opens this test's store; each call is another connection to the same store, as another process would open it.</summary>
    protected abstract IJobStore OpenStore();

    /// <summary>Records the store's schema as being of this version, as a newer module would.</summary>
    protected abstract void SetSchemaVersion(int version);

    protected static JobOptions Options => new() { ModelPath = "/models/m.onnx" };

    protected static List<NewItem> Items(int count, string hash = "h") =>
        Enumerable.Range(0, count).Select(i => new NewItem($"/in/{i:D5}.png", $"/out/{i:D5}.png", "PNG", 100 + i, 1000, hash)).ToList();

    protected static WorkerRecord Worker(string id, string host = "test-host") => new(id, host, 1, 0, "cpu", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 0);

    protected static DateTimeOffset Soon => DateTimeOffset.UtcNow.AddMinutes(1);

    protected static ItemOutcome Succeeded(long id) => new(id, ItemStatus.Succeeded, null, null, 1, 1, 1, 2, 2);

    protected static ItemOutcome Failed(long id, string errorId, string message) => new(id, ItemStatus.Failed, errorId, message, 1, 0, 0, 0, 0);

    /// <summary>Worker "w", registered, claims and begins the job's first <paramref name="count"/> items.</summary>
    protected static List<ClaimedItem> ClaimedByW(IJobStore store, long job, int count)
    {
        store.RegisterWorker(job, Worker("w"));
        return Begin(store, "w", store.Claim(job, "w", count, Soon));
    }

    /// <summary>A new job "j" of <paramref name="items"/>, every one of them claimed and begun by worker "w".</summary>
    protected static (long Job, List<ClaimedItem> Claimed) NewJobClaimedByW(IJobStore store, List<NewItem> items)
    {
        long job = store.CreateOrUpdateJob("j", Options).Id;
        store.AddItems(job, items, redoDone: false);
        return (job, ClaimedByW(store, job, items.Count));
    }

    /// <summary>The worker begins every item it claimed, as its pipeline takes each up.</summary>
    protected static List<ClaimedItem> Begin(IJobStore store, string worker, IEnumerable<ClaimedItem> claimed)
    {
        var items = claimed.ToList();
        Assert.All(items, c => Assert.True(store.TryBegin(worker, c.Id), $"{worker} begins item {c.Id}"));
        return items;
    }

    protected static int Attempts(IJobStore store, long job, long id) => store.Items(job, null).Single(i => i.Id == id).Attempts;

    [Fact]
    public void Concurrent_claims_from_several_stores_never_hand_out_an_item_twice()
    {
        long jobId;
        using (var setup = OpenStore())
        {
            jobId = setup.CreateOrUpdateJob("j", Options).Id;
            setup.AddItems(jobId, Items(2000), redoDone: false);
        }
        var claimedBy = new ConcurrentBag<(long Id, string Worker)>();
        // Every worker claims once before any goes on: on a loaded machine one thread could otherwise claim all 2000
        // before the others had opened their stores, and nothing concurrent would be tested.
        using var everyoneClaimed = new CountdownEvent(4);
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            using var store = OpenStore();
            string worker = $"w{t}";
            store.RegisterWorker(jobId, Worker(worker));
            for (bool first = true; ; first = false)
            {
                var claimed = store.Claim(jobId, worker, 8, Soon);
                if (first)
                {
                    everyoneClaimed.Signal();
                    everyoneClaimed.Wait(TimeSpan.FromSeconds(60));
                }
                if (claimed.Count == 0)
                    break;
                Assert.True(claimed.Count <= 8);
                foreach (var c in Begin(store, worker, claimed))
                    claimedBy.Add((c.Id, worker));
                store.Complete(worker, claimed.Select(c => Succeeded(c.Id)).ToList());
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(2000, claimedBy.Count);
        Assert.Equal(2000, claimedBy.Select(c => c.Id).Distinct().Count());
        Assert.True(claimedBy.Select(c => c.Worker).Distinct().Count() > 1, "the work was shared");
        using var check = OpenStore();
        var items = check.Items(jobId, null);
        Assert.All(items, i => Assert.Equal((ItemStatus.Succeeded, 1), (i.Status, i.Attempts)));
        Assert.Equal(2000, check.Workers(jobId).Sum(w => w.Processed));
    }

    [Fact]
    public void Only_an_item_that_succeeded_vouches_for_its_options_and_only_in_its_own_job()
    {
        using var store = OpenStore();
        long job = store.CreateOrUpdateJob("j", Options).Id;
        long other = store.CreateOrUpdateJob("k", Options).Id;
        store.AddItems(job, [.. Items(1, "tried"), .. Items(2, "done").Skip(1)], redoDone: false);
        store.AddItems(other, Items(1, "elsewhere"), redoDone: false);
        Assert.False(store.SucceededWith(job, "done"), "a pending item proves nothing");
        var claimed = ClaimedByW(store, job, 2);
        store.Complete("w", [Failed(claimed[0].Id, "X", "failed"), Succeeded(claimed[1].Id)]);
        Assert.True(store.SucceededWith(job, "done"));
        Assert.False(store.SucceededWith(job, "tried"), "a failed item proves nothing");
        Assert.False(store.SucceededWith(job, "elsewhere"));
        Assert.False(store.SucceededWith(other, "done"));
    }

    [Fact]
    public void An_expired_lease_is_taken_over_and_the_late_worker_cannot_overwrite_the_outcome()
    {
        using var store = OpenStore();
        long job = store.CreateOrUpdateJob("j", Options).Id;
        store.AddItems(job, Items(1), redoDone: false);
        var first = Assert.Single(Begin(store, "slow", store.Claim(job, "slow", 1, DateTimeOffset.UtcNow.AddSeconds(-1))));
        Assert.Empty(store.Claim(job, "fast", 1, Soon));
        var second = store.ClaimSuspect(job, "fast", Soon);
        Assert.NotNull(second);
        Assert.Equal(first.Id, second.Id);
        Assert.False(store.TryBegin("slow", first.Id), "the late worker cannot begin it again");
        Begin(store, "fast", [second]);
        Assert.Equal((2, 0, 1), (Attempts(store, job, second.Id), first.LostLeases, second.LostLeases));
        Assert.True(second.MayOverwrite, "a second attempt may replace what the first one wrote");
        Assert.Empty(store.Complete("slow", [Failed(first.Id, "X", "late")]));
        Assert.Equal([second.Id], store.Complete("fast", [Succeeded(second.Id)]));
        Assert.Equal(ItemStatus.Succeeded, Assert.Single(store.Items(job, null)).Status);
    }

    [Fact]
    public void Heartbeats_keep_a_short_lease_and_without_them_it_runs_out_and_is_taken_over()
    {
        var lease = TimeSpan.FromSeconds(2);
        using var a = OpenStore();
        using var b = OpenStore();
        long job = a.CreateOrUpdateJob("j", Options).Id;
        a.AddItems(job, Items(4), redoDone: false);
        a.RegisterWorker(job, Worker("beating"));
        a.RegisterWorker(job, Worker("silent"));
        var beating = Begin(a, "beating", a.Claim(job, "beating", 2, DateTimeOffset.UtcNow + lease));
        var silent = Begin(a, "silent", a.Claim(job, "silent", 2, DateTimeOffset.UtcNow + lease));
        for (int i = 0; i < 6; i++)
        {
            Thread.Sleep(lease / 3);
            a.Heartbeat(job, "beating", DateTimeOffset.UtcNow + lease);
        }
        // Twice the lease has passed: only the silent worker's items are free, one claim each.
        Assert.Empty(b.Claim(job, "rescuer", 8, Soon));
        var taken = Begin(b, "rescuer", ClaimEverySuspect(b, job, "rescuer"));
        Assert.Equal(silent.Select(c => c.Id).Order(), taken.Select(c => c.Id).Order());
        Assert.All(taken, c => Assert.Equal(2, Attempts(b, job, c.Id)));
        Assert.Equal(2, a.Complete("beating", beating.Select(c => Succeeded(c.Id)).ToList()).Count);
        Assert.Empty(a.Complete("silent", silent.Select(c => Succeeded(c.Id)).ToList()));
        Assert.Equal(2, b.Complete("rescuer", taken.Select(c => Succeeded(c.Id)).ToList()).Count);
        Assert.All(b.Items(job, null), i => Assert.Equal(ItemStatus.Succeeded, i.Status));
    }

    [Fact]
    public void A_workers_process_scope_is_kept_and_one_without_reads_back_as_none()
    {
        using var store = OpenStore();
        long job = store.CreateOrUpdateJob("j", Options).Id;
        store.RegisterWorker(job, Worker("scoped") with { ProcessScope = "boot pid:[4026532451]" });
        store.RegisterWorker(job, Worker("unscoped"));
        var workers = store.Workers(job).ToDictionary(w => w.Id);
        Assert.Equal("boot pid:[4026532451]", workers["scoped"].ProcessScope);
        Assert.Null(workers["unscoped"].ProcessScope);
    }

    [Fact]
    public void What_a_worker_accepts_is_kept_until_it_says_it_takes_no_more_and_other_connections_see_each_change()
    {
        using var worker = OpenStore();
        using var reader = OpenStore();
        long job = worker.CreateOrUpdateJob("j", Options).Id;
        worker.RegisterWorker(job, Worker("taking") with { Accepts = "sig" });
        worker.RegisterWorker(job, Worker("closed"));
        Assert.Equal([("closed", null), ("taking", "sig")], reader.Workers(job).Select(w => (w.Id, w.Accepts)).Order());
        worker.SetAccepts(job, "taking", null);
        worker.SetAccepts(job, "closed", "other");
        Assert.Equal([("closed", "other"), ("taking", null)], reader.Workers(job).Select(w => (w.Id, w.Accepts)).Order());
    }

    /// <summary>
    /// The two halves of the hand-off's handshake (<see cref="JobHandOff"/>), each on its own connection: a run that
    /// reads the workers after its items are committed sees a worker that still accepts; that worker, clearing what it
    /// accepts and then claiming, finds those items; a run that adds items after the clear reads it cleared.
    /// </summary>
    [Fact]
    public void A_worker_that_stops_accepting_then_claims_finds_the_items_a_run_committed_while_it_still_accepted()
    {
        using var worker = OpenStore();
        using var run = OpenStore();
        long job = worker.CreateOrUpdateJob("j", Options).Id;
        worker.RegisterWorker(job, Worker("w") with { Accepts = "sig" });
        var items = Items(3);
        run.AddItems(job, items[..2], redoDone: false);
        Assert.Equal("sig", Assert.Single(run.Workers(job)).Accepts);
        worker.SetAccepts(job, "w", null);
        Assert.Equal(items[..2].Select(i => i.InputPath), worker.Claim(job, "w", 8, Soon).Select(c => c.InputPath));
        run.AddItems(job, items[2..], redoDone: false);
        Assert.Null(Assert.Single(run.Workers(job)).Accepts);
    }

    /// <summary>
    /// The handshake with both sides at once, many times over: a worker claims until nothing is left, then clears what
    /// it accepts and claims once more (accepting again if that found items); a run adds one item at a time and leaves
    /// each to the worker as long as it reads the worker accepting once the item is committed. Every item left to the
    /// worker is claimed by it, wherever the two interleave.
    /// </summary>
    [Fact]
    public void Every_item_left_to_a_worker_that_accepted_it_is_claimed_by_that_worker_however_the_two_interleave()
    {
        using var worker = OpenStore();
        using var run = OpenStore();
        int handedInAll = 0;
        for (int round = 0; round < 20; round++)
        {
            long job = worker.CreateOrUpdateJob($"r{round}", Options).Id;
            worker.AddItems(job, Items(16), redoDone: false);
            worker.RegisterWorker(job, Worker("w") with { Accepts = "sig" });
            var claimed = new List<string>();
            var working = new Thread(() => ClaimUntilNothingIsLeft(worker, job, claimed));
            var handed = new List<string>();
            working.Start();
            foreach (var item in Enumerable.Range(0, 200).Select(i => new NewItem($"/in/new{i:D4}.png", $"/out/new{i:D4}.png", "PNG", 1, 1, "h")))
            {
                run.AddItems(job, [item], redoDone: false);
                if (run.Workers(job).SingleOrDefault()?.Accepts != "sig")
                    break;
                handed.Add(item.InputPath);
            }
            working.Join();
            Assert.Subset(claimed.ToHashSet(), handed.ToHashSet());
            handedInAll += handed.Count;
        }
        Assert.True(handedInAll > 0, "some items were handed to the worker while it ran");
    }

    /// <summary>A worker's side of the handshake, as <see cref="JobRunner"/> does it; it completes what it claims, and unregisters at the end.</summary>
    private static void ClaimUntilNothingIsLeft(IJobStore store, long job, List<string> claimed)
    {
        bool accepting = true;
        while (true)
        {
            var items = store.Claim(job, "w", 4, Soon);
            if (items.Count > 0)
            {
                claimed.AddRange(items.Select(c => c.InputPath));
                Begin(store, "w", items);
                store.Complete("w", items.Select(c => Succeeded(c.Id)).ToList());
                if (!accepting)
                    store.SetAccepts(job, "w", "sig");
                accepting = true;
                continue;
            }
            // A moment between a claim that found nothing and what follows, as a worker's other work takes: the run
            // adds items in it, whatever the order of the steps.
            Thread.Sleep(1);
            if (!accepting)
                break;
            store.SetAccepts(job, "w", null);
            accepting = false;
        }
        store.UnregisterWorker(job, "w");
    }

    /// <summary>Makes this test's store as schema version <paramref name="version"/> left it: job "old", with the worker <see cref="OldWorker"/>.</summary>
    protected abstract void CreateStoreOfVersion(int version);

    protected const string OldWorker = "old-host:1:0";

    [Fact]
    public void A_store_from_schema_five_is_upgraded_and_its_workers_accept_nothing_until_they_say_so()
    {
        CreateStoreOfVersion(5);
        using var store = OpenStore();
        long job = store.FindJob("old")!.Id;
        var worker = Assert.Single(store.Workers(job));
        Assert.Equal((OldWorker, (string?)null), (worker.Id, worker.Accepts));
        store.SetAccepts(job, OldWorker, "sig");
        Assert.Equal("sig", Assert.Single(store.Workers(job)).Accepts);
    }

    [Fact]
    public void Expiring_dead_workers_frees_their_items_at_once_and_forgets_them()
    {
        using var store = OpenStore();
        long job = store.CreateOrUpdateJob("j", Options).Id;
        store.AddItems(job, Items(3), redoDone: false);
        store.RegisterWorker(job, Worker("dead"));
        store.RegisterWorker(job, Worker("alive"));
        var held = Begin(store, "dead", store.Claim(job, "dead", 2, Soon));
        Assert.Single(store.Claim(job, "alive", 8, Soon));
        store.ExpireWorkers(job, ["dead"]);
        Assert.Equal(["alive"], store.Workers(job).Select(w => w.Id));
        Assert.Equal(held.Select(c => c.Id), ClaimEverySuspect(store, job, "alive").Select(c => c.Id));
    }

    [Fact]
    public void A_worker_with_nothing_to_claim_takes_the_last_half_of_the_longest_queue_and_its_owner_leaves_those_alone()
    {
        using var store = OpenStore();
        long job = store.CreateOrUpdateJob("j", Options).Id;
        store.AddItems(job, Items(10), redoDone: false);
        store.RegisterWorker(job, Worker("early"));
        store.RegisterWorker(job, Worker("late"));
        var early = store.Claim(job, "early", 8, Soon);
        Begin(store, "early", early.Take(2));
        var others = store.Claim(job, "other", 2, Soon);
        Assert.Empty(store.Claim(job, "late", 8, Soon));

        // Queued, not begun: shown as waiting.
        var summary = store.Summarize(store.FindJob("j")!, _ => true);
        Assert.Equal((2, 8), (summary.Running, summary.Pending));
        Assert.Equal(early.Skip(2).Concat(others).Select(c => c.Id).Order(), store.Items(job, [ItemStatus.Pending]).Select(i => i.Id));

        var stolen = store.StealQueued(job, "late", 8, Soon);
        Assert.Equal(early.TakeLast(3).Select(c => c.Id), stolen.Select(c => c.Id));
        Assert.All(stolen, c => Assert.Equal((0, false), (c.LostLeases, c.MayOverwrite)));
        Assert.All(stolen, c => Assert.False(store.TryBegin("early", c.Id), "the owner cannot begin what was taken over"));
        Assert.Empty(store.StealQueued(job, "late", 8, Soon)); // "early" and "late" have three queued each: even
        Assert.Empty(store.StealQueued(job, "early", 8, Soon));
        Begin(store, "early", early.Skip(2).Take(3));
        Begin(store, "late", stolen);

        // Left: "other" with 2 queued (one goes), then a queue of one (it stays).
        Assert.Equal([others[1].Id], store.StealQueued(job, "late", 8, Soon).Select(c => c.Id));
        Assert.Empty(store.StealQueued(job, "late", 8, Soon));
        Assert.Equal(6, store.ItemsHeldByOthers(job, "late"));
        Assert.All(store.Items(job, null).Where(i => i.Attempts > 0), i => Assert.Equal(1, i.Attempts));
    }

    [Fact]
    public void A_worker_lost_before_it_began_its_queued_items_leaves_them_as_fresh_work_not_as_suspects()
    {
        using var store = OpenStore();
        long job = store.CreateOrUpdateJob("j", Options).Id;
        store.AddItems(job, Items(3), redoDone: false);
        var held = store.Claim(job, "crashed", 3, DateTimeOffset.UtcNow.AddSeconds(-1));
        Begin(store, "crashed", held.Take(1));

        // Expired leases of queued items are no one's: not stolen (that is for live queues), claimed as fresh.
        Assert.Empty(store.StealQueued(job, "next", 8, Soon));
        var fresh = store.Claim(job, "next", 8, Soon);
        Assert.Equal(held.Skip(1).Select(c => (c.Id, 0, false)), fresh.Select(c => (c.Id, c.LostLeases, c.MayOverwrite)));
        var suspect = store.ClaimSuspect(job, "next", Soon);
        Assert.Equal((held[0].Id, 1, true), (suspect!.Id, suspect.LostLeases, suspect.MayOverwrite));
        Begin(store, "next", [.. fresh, suspect]);
        Assert.True(store.TryBegin("next", suspect.Id), "beginning again is harmless");
        Assert.Equal([2, 1, 1], store.Items(job, null).Select(i => i.Attempts));
    }

    [Fact]
    public void A_suspect_whose_worker_was_lost_before_beginning_it_stays_a_suspect_to_run_alone_with_its_count_unchanged()
    {
        using var store = OpenStore();
        long job = store.CreateOrUpdateJob("j", Options).Id;
        store.AddItems(job, Items(3), redoDone: false);
        // Worker w0 begins the first of its three and is lost: that one becomes a suspect, the other two fresh work.
        var first = Begin(store, "w0", store.Claim(job, "w0", 3, Soon).Take(1)).Single();
        store.ExpireWorkers(job, ["w0"]);
        var fresh = Begin(store, "w1", store.Claim(job, "w1", 8, Soon));
        store.Complete("w1", fresh.Select(c => Succeeded(c.Id)).ToList());
        Assert.Equal(first.Id, store.ClaimSuspect(job, "w1", Soon)!.Id);
        store.ExpireWorkers(job, ["w1"]);

        // A plain claim would hand it out in a batch of fresh items: should it crash its worker again, the loss would
        // count against every image in that batch.
        Assert.Empty(store.Claim(job, "w2", 8, Soon));
        var again = store.ClaimSuspect(job, "w2", Soon);
        Assert.Equal((first.Id, 1, true), (again?.Id, again?.LostLeases, again?.MayOverwrite));
    }

    private static List<ClaimedItem> ClaimEverySuspect(IJobStore store, long job, string worker)
    {
        var claimed = new List<ClaimedItem>();
        while (store.ClaimSuspect(job, worker, Soon) is { } suspect)
            claimed.Add(suspect);
        return claimed;
    }

    [Fact]
    public void Items_a_worker_lost_go_out_after_the_fresh_ones_one_per_claim_in_order_each_takeover_counted()
    {
        using var store = OpenStore();
        long job = store.CreateOrUpdateJob("j", Options).Id;
        store.AddItems(job, Items(5), redoDone: false);
        var lost = Begin(store, "crashed", store.Claim(job, "crashed", 3, Soon));
        store.ExpireWorkers(job, ["crashed"]);

        var fresh = store.Claim(job, "next", 8, Soon);
        Assert.Equal(2, fresh.Count);
        Assert.All(fresh, c => Assert.Equal(0, c.LostLeases));
        Assert.DoesNotContain(fresh, c => lost.Any(l => l.Id == c.Id));
        store.Complete("next", fresh.Select(c => Succeeded(c.Id)).ToList());
        Assert.Empty(store.Claim(job, "next", 8, Soon));
        var first = Begin(store, "next", [store.ClaimSuspect(job, "next", Soon)!]).Single();
        Assert.Equal((lost[0].Id, 1, 2), (first.Id, first.LostLeases, Attempts(store, job, first.Id)));

        // Ctrl+C hands it back cleanly: still a suspect, its count unchanged (the worker ended, it was not lost). The
        // two not yet taken over follow it.
        store.UnregisterWorker(job, "next");
        Assert.Equal(ItemStatus.Pending, store.Items(job, null).Single(i => i.Id == first.Id).Status);
        Assert.Empty(store.Claim(job, "again", 8, Soon));
        var suspects = ClaimEverySuspect(store, job, "again");
        Assert.Equal(lost.Select(l => l.Id), suspects.Select(c => c.Id));
        Assert.All(suspects, c => Assert.Equal(1, c.LostLeases));
    }

    [Fact]
    public void Every_further_loss_adds_to_the_count_and_a_retry_or_a_changed_input_forgives_them()
    {
        using var store = OpenStore();
        long job = store.CreateOrUpdateJob("j", Options).Id;
        var items = Items(2);
        store.AddItems(job, items, redoDone: false);
        var held = Begin(store, "w0", store.Claim(job, "w0", 2, Soon));
        for (int loss = 1; loss <= 3; loss++)
        {
            store.ExpireWorkers(job, [$"w{loss - 1}"]);
            var taken = Begin(store, $"w{loss}", ClaimEverySuspect(store, job, $"w{loss}"));
            Assert.Equal(held.Select(h => (h.Id, loss)), taken.Select(t => (t.Id, t.LostLeases)));
        }
        store.Complete("w3", held.Select(h => new ItemOutcome(h.Id, ItemStatus.Failed, "WorkerLost", "lost", 0, 0, 0, 0, 0)).ToList());
        Assert.Null(store.ClaimSuspect(job, "w4", Soon));

        Assert.Equal(1, store.AddItems(job, [items[0] with { InputLength = 12345 }], redoDone: false).Requeued);
        Assert.Equal(1, store.RequeueFailed(job));
        var fresh = store.Claim(job, "w4", 8, Soon);
        Assert.Equal(held.Select(h => (h.Id, 0)), fresh.Select(c => (c.Id, c.LostLeases)));
    }

    /// <summary>
    /// Makes this test's store as the first schema version left it (a module from before lost leases were counted):
    /// job "old" with two items, the first Pending, the second Running under a lease that has expired.
    /// </summary>
    protected abstract void CreateVersionOneStore();

    [Fact]
    public void A_store_from_the_first_schema_is_upgraded_with_its_items_and_a_lease_lost_under_it_counts()
    {
        CreateVersionOneStore();
        using var store = OpenStore();
        var job = store.FindJob("old");
        Assert.NotNull(job);
        var items = store.Items(job.Id, null);
        Assert.Equal([ItemStatus.Pending, ItemStatus.Running], items.Select(i => i.Status));
        var fresh = Assert.Single(store.Claim(job.Id, "w", 8, Soon));
        Assert.Equal((items[0].Id, 0), (fresh.Id, fresh.LostLeases));
        var suspect = store.ClaimSuspect(job.Id, "w", Soon);
        Assert.Equal((items[1].Id, 1), (suspect!.Id, suspect.LostLeases));
    }

    [Fact]
    public void Completing_the_same_outcomes_twice_changes_and_counts_nothing_the_second_time()
    {
        using var store = OpenStore();
        long job = store.CreateOrUpdateJob("j", Options).Id;
        store.AddItems(job, Items(3), redoDone: false);
        store.RegisterWorker(job, Worker("w"));
        var outcomes = store.Claim(job, "w", 3, Soon).Select(c => new ItemOutcome(c.Id, ItemStatus.Failed, "E", $"bad {c.Id}", 7, 0, 0, 0, 0)).ToList();
        Assert.Equal(3, store.Complete("w", outcomes).Count);
        var first = store.Items(job, null);
        Assert.Empty(store.Complete("w", outcomes.Select(o => o with { Status = ItemStatus.Succeeded }).ToList()));
        Assert.Equal(first.Select(i => (i.Status, i.ErrorMessage, i.Finished)), store.Items(job, null).Select(i => (i.Status, i.ErrorMessage, i.Finished)));
        Assert.Equal(3, Assert.Single(store.Workers(job)).Processed);
    }

    [Fact]
    public void A_worker_is_credited_with_the_images_it_worked_on_not_with_outputs_that_existed()
    {
        using var store = OpenStore();
        long job = store.CreateOrUpdateJob("j", Options).Id;
        store.AddItems(job, Items(3), redoDone: false);
        var claimed = ClaimedByW(store, job, 3);
        Assert.Equal(3, store.Complete("w", [Succeeded(claimed[0].Id), Failed(claimed[1].Id, "E", "bad"),
            new(claimed[2].Id, ItemStatus.Skipped, "OutputExists", "exists", 0, 0, 0, 0, 0)]).Count);
        Assert.Equal(2, Assert.Single(store.Workers(job)).Processed);
    }

    [Fact]
    public void Unregistering_a_worker_hands_its_items_back()
    {
        using var store = OpenStore();
        long job = store.CreateOrUpdateJob("j", Options).Id;
        store.AddItems(job, Items(5), redoDone: false);
        store.RegisterWorker(job, Worker("w"));
        Assert.Equal(3, store.Claim(job, "w", 3, Soon).Count);
        store.UnregisterWorker(job, "w");
        Assert.All(store.Items(job, null), i => Assert.Equal(ItemStatus.Pending, i.Status));
        Assert.Empty(store.Workers(job));
    }

    [Fact]
    public void Adding_inputs_again_keeps_what_is_done_and_requeues_what_changed()
    {
        using var store = OpenStore();
        long job = store.CreateOrUpdateJob("j", Options).Id;
        var items = Items(3);
        store.AddItems(job, items, redoDone: false);
        var claimed = store.Claim(job, "w", 3, Soon);
        store.Complete("w", claimed.Select(c => new ItemOutcome(c.Id, c.Id == claimed[2].Id ? ItemStatus.Failed : ItemStatus.Succeeded, null, null, 1, 1, 1, 2, 2)).ToList());

        var changed = items[1] with { InputLength = 999 };
        var again = store.AddItems(job, [items[0], changed, items[2], .. Items(4).Skip(3)], redoDone: false);

        Assert.Equal([items[0].InputPath], again.AlreadyDone);
        Assert.Equal(1, again.Added);
        Assert.Equal(2, again.Requeued);
        var byPath = store.Items(job, null).ToDictionary(i => i.InputPath);
        Assert.Equal(ItemStatus.Succeeded, byPath[items[0].InputPath].Status);
        Assert.Equal(ItemStatus.Pending, byPath[items[1].InputPath].Status);
        Assert.Equal(ItemStatus.Pending, byPath[items[2].InputPath].Status);
    }

    [Fact]
    public void Only_an_unfinished_earlier_claim_or_a_written_output_allows_overwriting()
    {
        using var store = OpenStore();
        long job = store.CreateOrUpdateJob("j", Options).Id;
        var items = Items(2);
        store.AddItems(job, items, redoDone: false);
        var first = Begin(store, "w", store.Claim(job, "w", 2, Soon));
        Assert.All(first, c => Assert.False(c.MayOverwrite));
        // Item 0 was skipped (its output existed already); item 1's worker died after renaming, before committing.
        store.Complete("w", [new(first[0].Id, ItemStatus.Skipped, "OutputExists", "exists", 0, 0, 0, 0, 0)]);
        store.UnregisterWorker(job, "w");
        store.AddItems(job, items, redoDone: false);
        var second = store.Claim(job, "v", 2, Soon).ToDictionary(c => c.Id);
        Assert.False(second[first[0].Id].MayOverwrite, "a file the job skipped is the user's: never overwritten by a rerun");
        Assert.True(second[first[1].Id].MayOverwrite, "the earlier claim may have written this output");
    }

    [Fact]
    public void An_item_whose_output_the_job_wrote_for_another_input_is_claimed_naming_that_input()
    {
        using var store = OpenStore();
        long job = store.CreateOrUpdateJob("j", Options).Id;
        // logo.bmp and logo.gif, both written as logo.png (-Format Png).
        List<NewItem> items = [new("/in/logo.bmp", "/out/logo.png", "PNG", 10, 1000, "h"), new("/in/logo.gif", "/out/logo.png", "PNG", 20, 1000, "h")];
        store.AddItems(job, items, redoDone: false);
        var first = Begin(store, "w", store.Claim(job, "w", 2, Soon));
        Assert.All(first, c => Assert.Null(c.OutputOwner));
        store.Complete("w", [Succeeded(first[0].Id), Failed(first[1].Id, "OutputCollision", "shared")]);

        store.AddItems(job, items, redoDone: false, retryFailed: true);
        var retried = Assert.Single(store.Claim(job, "w", 2, Soon));
        Assert.Equal((first[1].Id, "/in/logo.bmp"), (retried.Id, retried.OutputOwner));
        Begin(store, "w", [retried]);
        store.Complete("w", [Failed(retried.Id, "OutputCollision", "written for logo.bmp")]);

        store.AddItems(job, items, redoDone: true);
        var redone = store.Claim(job, "v", 2, Soon).ToDictionary(c => c.Id);
        Assert.Null(redone[first[0].Id].OutputOwner);
        Assert.Equal("/in/logo.bmp", redone[first[1].Id].OutputOwner);
    }

    [Fact]
    public void An_item_whose_output_another_job_wrote_for_another_file_is_claimed_naming_that_input_and_job()
    {
        using var store = OpenStore();
        // box1 and box2, each upscaled by a run of its own into one output folder: both hold scan0001.png.
        long box1 = store.CreateOrUpdateJob("box1", Options).Id;
        store.AddItems(box1, [new("/in/box1/scan0001.png", "/out/scan0001.png", "PNG", 10, 1000, "h")], redoDone: false);
        store.Complete("w", [Succeeded(Assert.Single(Begin(store, "w", store.Claim(box1, "w", 1, Soon))).Id)]);
        long box2 = store.CreateOrUpdateJob("box2", Options).Id;
        store.AddItems(box2, [new("/in/box2/scan0001.png", "/out/scan0001.png", "PNG", 20, 2000, "h"), new("/in/box2/scan0002.png", "/out/scan0002.png", "PNG", 20, 2000, "h")],
            redoDone: false);
        var claimed = store.Claim(box2, "v", 2, Soon);
        Assert.Equal(("/in/box1/scan0001.png", "box1"), (claimed[0].OutputOwner, claimed[0].OutputOwnerJob));
        Assert.Equal((null, null), (claimed[1].OutputOwner, claimed[1].OutputOwnerJob));

        // The same file in another job (by another path: moved, or listed through a link: its size and time kept) owns nothing.
        long moved = store.CreateOrUpdateJob("moved", Options).Id;
        store.AddItems(moved, [new("/archive/box1/scan0001.png", "/out/scan0001.png", "PNG", 10, 1000, "h")], redoDone: false);
        Assert.Null(Assert.Single(store.Claim(moved, "v", 1, Soon)).OutputOwner);
    }

    [Fact]
    public void Only_an_attempt_that_began_and_ended_without_an_outcome_marks_an_item_interrupted()
    {
        using var store = OpenStore();
        long job = store.CreateOrUpdateJob("j", Options).Id;
        var items = Items(3);
        store.AddItems(job, items, redoDone: false);
        var first = store.Claim(job, "w", 3, Soon);
        Assert.All(first, c => Assert.False(c.Interrupted));
        // Item 0 succeeds, item 1 is begun and its worker dies, item 2 was only queued when it died.
        Begin(store, "w", first.Take(2));
        store.Complete("w", [Succeeded(first[0].Id)]);
        store.UnregisterWorker(job, "w");
        store.AddItems(job, items, redoDone: true);
        var second = store.Claim(job, "v", 3, Soon).ToDictionary(c => c.Id);
        Assert.False(second[first[0].Id].Interrupted, "its write ended with an outcome: nothing of it is left behind");
        Assert.True(second[first[1].Id].Interrupted, "its write may have been cut off, leaving a temp file");
        Assert.False(second[first[2].Id].Interrupted, "no one began it");
    }

    /// <summary>A store whose job has one item, done by worker "w".</summary>
    private IJobStore OpenWithOneSucceededItem(out long job, out NewItem item)
    {
        var store = OpenStore();
        job = store.CreateOrUpdateJob("j", Options).Id;
        item = Items(1)[0];
        store.AddItems(job, [item], redoDone: false);
        store.Complete("w", [Succeeded(Assert.Single(store.Claim(job, "w", 1, Soon)).Id)]);
        return store;
    }

    [Fact]
    public void Redo_requeues_even_what_is_done()
    {
        using var store = OpenWithOneSucceededItem(out long job, out var item);
        Assert.Single(store.AddItems(job, [item], redoDone: false).AlreadyDone);
        var redo = store.AddItems(job, [item], redoDone: true);
        Assert.Empty(redo.AlreadyDone);
        Assert.Equal(1, redo.Requeued);
        Assert.True(Assert.Single(store.Claim(job, "w", 1, Soon)).MayOverwrite, "the job wrote this output itself");
    }

    [Fact]
    public void A_new_output_path_means_the_item_is_not_done()
    {
        using var store = OpenWithOneSucceededItem(out long job, out var item);
        var moved = store.AddItems(job, [item with { OutputPath = "/elsewhere/00000.png" }], redoDone: false);
        Assert.Empty(moved.AlreadyDone);
        Assert.Equal(1, moved.Requeued);
    }

    [Fact]
    public void Failed_items_are_queued_again_on_request_and_items_filter_by_status()
    {
        using var store = OpenStore();
        long job = store.CreateOrUpdateJob("j", Options).Id;
        store.AddItems(job, Items(4), redoDone: false);
        var claimed = Begin(store, "w", store.Claim(job, "w", 3, Soon));
        store.Complete("w", [Succeeded(claimed[0].Id), new(claimed[1].Id, ItemStatus.Failed, "CorruptImage", "bad pixels", 3, 0, 0, 0, 0)]);

        var failed = Assert.Single(store.Items(job, [ItemStatus.Failed]));
        Assert.Equal((claimed[1].Id, "CorruptImage", "bad pixels"), (failed.Id, failed.ErrorId, failed.ErrorMessage));
        Assert.Equal([claimed[2].Id], store.Items(job, [ItemStatus.Running]).Select(i => i.Id));
        Assert.Equal("w", store.Items(job, [ItemStatus.Running])[0].LeaseOwner);
        Assert.Equal(2, store.Items(job, [ItemStatus.Pending, ItemStatus.Failed]).Count);
        Assert.Equal(4, store.Items(job, null).Count);

        Assert.Equal(1, store.RequeueFailed(job));
        var requeued = store.Items(job, null).Single(i => i.Id == claimed[1].Id);
        Assert.Equal((ItemStatus.Pending, (string?)null), (requeued.Status, requeued.ErrorId));
    }

    [Fact]
    public void An_input_not_found_is_left_failed_only_when_it_was_missing_as_it_was_listed_too()
    {
        using var store = OpenStore();
        long job = store.CreateOrUpdateJob("j", Options).Id;
        // A broken symbolic link is listed without a size; a file moved away after it was listed had one.
        var items = new List<NewItem> { Items(1)[0] with { InputLength = -1, InputModifiedMs = 0 }, Items(2)[1] };
        store.AddItems(job, items, redoDone: false);
        var claimed = ClaimedByW(store, job, 2);
        store.Complete("w", claimed.Select(c => Failed(c.Id, "InputNotFound", "gone")).ToList());

        var again = store.AddItems(job, items, redoDone: false);
        Assert.Equal([items[0].InputPath], again.FailedBefore.Select(f => f.InputPath));
        Assert.Equal(1, again.Requeued);
    }

    [Fact]
    public void An_outcome_records_the_version_of_the_input_it_was_made_from_so_a_rerun_listing_that_version_finds_it_done()
    {
        using var store = OpenStore();
        var listed = Items(2);
        var (job, claimed) = NewJobClaimedByW(store, listed);
        // The first file was replaced between the listing and the read; the second was not read (no version).
        var read = new Core.Imaging.FileVersion(5_000, 2_000);
        store.Complete("w", [Succeeded(claimed[0].Id) with { ReadAs = read }, Succeeded(claimed[1].Id)]);

        var relisted = new List<NewItem> { listed[0] with { InputLength = read.Length, InputModifiedMs = read.ModifiedMs }, listed[1] };
        Assert.Equal(relisted.Select(i => i.InputPath), store.AddItems(job, relisted, redoDone: false).AlreadyDone);
        // The version listed first is not the one done: listed again (put back), it is done again.
        Assert.Equal(1, store.AddItems(job, listed, redoDone: false).Requeued);
    }

    [Fact]
    public void Retiring_gone_inputs_makes_only_items_that_failed_as_InputNotFound_skipped()
    {
        using var store = OpenStore();
        var (job, claimed) = NewJobClaimedByW(store, Items(3));
        store.Complete("w", [Failed(claimed[0].Id, "InputNotFound", "gone"), Failed(claimed[1].Id, "CorruptImage", "bad"), Succeeded(claimed[2].Id)]);

        Assert.Equal(1, store.RetireGoneInputs(job, claimed.ConvertAll(c => c.Id), "no longer there"));
        var items = store.Items(job, null);
        Assert.Equal([(ItemStatus.Skipped, JobPlanner.InputGoneId, "no longer there"), (ItemStatus.Failed, "CorruptImage", "bad"), (ItemStatus.Succeeded, null, null)],
            items.Select(i => (i.Status, i.ErrorId, i.ErrorMessage)));
        Assert.Equal(JobState.CompletedWithErrors, store.Summarize(store.FindJob("j")!, _ => false).State);
    }

    [Fact]
    public void An_outcome_records_the_options_it_was_made_with_where_it_says_them()
    {
        using var store = OpenStore();
        long job = store.CreateOrUpdateJob("j", Options).Id;
        var items = Items(2, "added");
        store.AddItems(job, items, redoDone: false);
        var claimed = ClaimedByW(store, job, 2);
        store.Complete("w", [Succeeded(claimed[0].Id) with { OptionsHash = "made" }, Succeeded(claimed[1].Id)]);

        Assert.Equal([items[0].InputPath], store.AddItems(job, [items[0] with { OptionsHash = "made" }], redoDone: false).AlreadyDone);
        var again = store.AddItems(job, items, redoDone: false);
        Assert.Equal([items[1].InputPath], again.AlreadyDone);
        Assert.Equal(1, again.Requeued);
    }

    [Fact]
    public void An_unchanged_input_that_failed_in_a_way_it_would_again_is_left_failed_until_it_changes_or_is_retried()
    {
        using var store = OpenStore();
        var items = Items(4);
        var (job, claimed) = NewJobClaimedByW(store, items);
        store.Complete("w", [
            Failed(claimed[0].Id, "CorruptImage", "cut short"),
            Failed(claimed[1].Id, "OutputWriteFailed", "disk full"),
            Failed(claimed[2].Id, "UnsupportedFormat", "a HEIC file"),
            Succeeded(claimed[3].Id)]);

        var again = store.AddItems(job, items, redoDone: false);
        Assert.Equal([(items[0].InputPath, "CorruptImage", "cut short"), (items[2].InputPath, "UnsupportedFormat", "a HEIC file")],
            again.FailedBefore.Select(f => (f.InputPath, f.ErrorId, f.ErrorMessage)).OrderBy(f => f.InputPath));
        Assert.Equal((0, 1), (again.Added, again.Requeued));
        Assert.Equal([items[3].InputPath], again.AlreadyDone);
        Assert.Equal([claimed[0].Id, claimed[2].Id], store.Items(job, [ItemStatus.Failed]).Select(i => i.Id));
        Assert.Equal("CorruptImage", store.Items(job, [ItemStatus.Failed])[0].ErrorId);

        var changed = store.AddItems(job, [items[0] with { InputLength = items[0].InputLength + 1 }], redoDone: false);
        Assert.Equal((1, 0), (changed.Requeued, changed.FailedBefore.Count));
        var retried = store.AddItems(job, [items[2]], redoDone: false, retryFailed: true);
        Assert.Equal((1, 0), (retried.Requeued, retried.FailedBefore.Count));
        Assert.Empty(store.Items(job, [ItemStatus.Failed]));
    }

    [Fact]
    public void Redo_requeues_an_unchanged_input_that_failed_in_a_way_it_would_again()
    {
        using var store = OpenStore();
        long job = store.CreateOrUpdateJob("j", Options).Id;
        var item = Items(1)[0];
        store.AddItems(job, [item], redoDone: false);
        store.RegisterWorker(job, Worker("w"));
        var claimed = Assert.Single(Begin(store, "w", store.Claim(job, "w", 1, Soon)));
        store.Complete("w", [Failed(claimed.Id, "CorruptImage", "cut short")]);

        Assert.Single(store.AddItems(job, [item], redoDone: false).FailedBefore);
        var redo = store.AddItems(job, [item], redoDone: true);
        Assert.Equal((1, 0), (redo.Requeued, redo.FailedBefore.Count));
        Assert.Equal(ItemStatus.Pending, Assert.Single(store.Items(job, null)).Status);
    }

    [Fact]
    public void A_page_of_items_is_a_stretch_of_the_filtered_listing_in_id_order_and_the_count_is_of_all_it_matches()
    {
        using var store = OpenStore();
        long job = store.CreateOrUpdateJob("j", Options).Id;
        long other = store.CreateOrUpdateJob("other", Options).Id;
        // Another job's items between this one's, which a page of this job's must pass over.
        store.AddItems(job, Items(5), redoDone: false);
        store.AddItems(other, Items(3), redoDone: false);
        store.AddItems(job, Items(10), redoDone: false);
        var begun = Begin(store, "w", store.Claim(job, "w", 6, Soon));
        store.Complete("w", begun.Where((_, i) => i % 2 == 0).Select(c => Succeeded(c.Id)).ToList());
        var queued = store.Claim(job, "w", 2, Soon); // shown Pending: claimed, never begun

        var all = store.Items(job, null).Select(i => i.Id).ToList();
        Assert.Equal(all.Order(), all);
        Assert.All(store.Items(other, null), i => Assert.InRange(i.Id, all[4], all[5]));
        Assert.Equal(all.Skip(3).Take(4), store.Items(job, null, new ItemPage(3, 4)).Select(i => i.Id));
        Assert.Equal(all.Skip(8), store.Items(job, null, new ItemPage(8, 4)).Select(i => i.Id));
        Assert.Equal(all.Skip(7), store.Items(job, null, new ItemPage(7, null)).Select(i => i.Id));
        Assert.Empty(store.Items(job, null, new ItemPage(10, 4)));
        Assert.Empty(store.Items(job, null, new ItemPage(0, 0)));

        var pending = store.Items(job, [ItemStatus.Pending]).Select(i => i.Id).ToList();
        Assert.Equal(all.Skip(6), pending);
        Assert.Equal(all.Skip(6).Take(2), queued.Select(c => c.Id));
        Assert.Equal(pending.Skip(1).Take(2), store.Items(job, [ItemStatus.Pending], new ItemPage(1, 2)).Select(i => i.Id));
        Assert.Equal([begun[3].Id], store.Items(job, [ItemStatus.Running, ItemStatus.Failed], new ItemPage(1, 1)).Select(i => i.Id));

        Assert.Equal(10, store.CountItems(job, null));
        Assert.Equal(10, store.CountItems(job, []));
        Assert.Equal(4, store.CountItems(job, [ItemStatus.Pending]));
        Assert.Equal(3, store.CountItems(job, [ItemStatus.Running]));
        Assert.Equal(6, store.CountItems(job, [ItemStatus.Succeeded, ItemStatus.Running]));
        Assert.Equal(0, store.CountItems(job, [ItemStatus.Failed]));
        Assert.Equal(3, store.CountItems(other, null));
    }

    [Fact]
    public void A_stop_request_is_visible_to_other_processes_and_cleared_by_the_next_run()
    {
        using var a = OpenStore();
        using var b = OpenStore();
        var job = a.CreateOrUpdateJob("j", Options);
        Assert.False(b.IsStopRequested(job.Id));
        a.RequestStop(job.Id);
        Assert.True(b.IsStopRequested(job.Id));
        b.CreateOrUpdateJob("j", Options);
        Assert.False(a.IsStopRequested(job.Id));
    }

    [Fact]
    public void States_follow_items_workers_and_stop_requests()
    {
        using var store = OpenStore();
        var job = store.CreateOrUpdateJob("j", Options);
        store.AddItems(job.Id, Items(2), redoDone: false);
        store.RegisterWorker(job.Id, Worker("w"));
        Assert.Equal(JobState.Running, store.Summarize(job, _ => true).State);
        Assert.Equal(JobState.Queued, store.Summarize(job, _ => false).State);
        var claimed = store.Claim(job.Id, "w", 2, Soon);
        Assert.Equal(JobState.Queued, store.Summarize(job, _ => false).State);
        Begin(store, "w", claimed);
        Assert.Equal(JobState.Interrupted, store.Summarize(job, _ => false).State);
        store.RequestStop(job.Id);
        var stopping = store.FindJob("j")!;
        Assert.Equal(JobState.Stopping, store.Summarize(stopping, _ => true).State);
        Assert.Equal(JobState.Stopped, store.Summarize(stopping, _ => false).State);
        Thread.Sleep(5); // the store's clock counts milliseconds: the items take some from claim to finish
        store.Complete("w", [Succeeded(claimed[0].Id), Failed(claimed[1].Id, "E", "bad")]);
        var done = store.Summarize(job, _ => false);
        Assert.Equal(JobState.CompletedWithErrors, done.State);
        Assert.True(done.ImagesPerSecond > 0, "a finished job is rated over its last stretch of work");
        Assert.Equal((2L, 1L, 1L, 100.0), (done.Total, done.Succeeded, done.Failed, done.PercentComplete));
    }

    [Fact]
    public void A_summary_lists_the_live_workers_of_every_host_with_what_each_has_done()
    {
        using var store = OpenStore();
        var job = store.CreateOrUpdateJob("j", Options);
        store.AddItems(job.Id, Items(10), redoDone: false);
        foreach (var (id, host) in new[] { ("a1", "host-a"), ("b1", "host-b"), ("gone", "host-c") })
            store.RegisterWorker(job.Id, Worker(id, host));
        foreach (var (id, count) in new[] { ("a1", 3), ("b1", 2) })
            store.Complete(id, Begin(store, id, store.Claim(job.Id, id, count, Soon)).Select(c => Succeeded(c.Id)).ToList());

        var summary = store.Summarize(job, w => w.Id != "gone");
        Assert.Equal(JobState.Running, summary.State);
        Assert.Equal([("host-a", 3L), ("host-b", 2L)], summary.Workers.Select(w => (w.Host, w.Processed)).OrderBy(w => w.Host));
        Assert.Equal((10L, 5L, 5L, 50.0), (summary.Total, summary.Succeeded, summary.Pending, summary.PercentComplete));
        Assert.True(summary.ImagesPerSecond > 0, "items finished within the last minute give a rate");
        Assert.NotNull(summary.EstimatedRemaining);
    }

    [Fact]
    public void A_claimed_item_carries_its_input_size_as_listed_for_the_runs_time_remaining()
    {
        using var store = OpenStore();
        var job = store.CreateOrUpdateJob("j", Options);
        store.AddItems(job.Id, Items(2), redoDone: false);
        Assert.Equal([100L, 101L], ClaimedByW(store, job.Id, 2).Select(c => c.InputLength));
    }

    [Fact]
    public void A_running_job_is_given_its_time_remaining_by_the_input_bytes_left()
    {
        using var store = OpenStore();
        var job = store.CreateOrUpdateJob("j", Options);
        // Two thumbnails of 1 kB listed first, then two scans of 100 kB.
        var items = Items(4).Select((item, i) => item with { InputLength = i < 2 ? 1_000 : 100_000 }).ToList();
        store.AddItems(job.Id, items, redoDone: false);
        var thumbnails = ClaimedByW(store, job.Id, 2);
        Thread.Sleep(5); // the store's clock counts milliseconds: the items take some from claim to finish
        store.Complete("w", thumbnails.Select(c => Succeeded(c.Id)).ToList());

        var summary = store.Summarize(job, _ => true);
        // At the thumbnails' rate in images, the two scans would take as long as the thumbnails did; in bytes, 100 times as long.
        double byImages = summary.Pending / summary.ImagesPerSecond;
        Assert.Equal(100, summary.EstimatedRemaining!.Value.TotalSeconds / byImages, 3);
    }

    [Fact]
    public void Jobs_are_listed_in_creation_order_and_removing_one_removes_its_items_and_workers()
    {
        using var store = OpenStore();
        var first = store.CreateOrUpdateJob("first", Options);
        var second = store.CreateOrUpdateJob("second", Options with { Format = "Png" });
        store.AddItems(first.Id, Items(2), redoDone: false);
        store.AddItems(second.Id, Items(3), redoDone: false);
        store.RegisterWorker(first.Id, Worker("w"));
        Assert.Equal(["first", "second"], store.ListJobs().Select(j => j.Name));
        Assert.Equal("Png", store.FindJob("second")!.Options.Format);

        store.RemoveJob(first.Id);
        Assert.Null(store.FindJob("first"));
        Assert.Empty(store.Items(first.Id, null));
        Assert.Empty(store.Workers(first.Id));
        Assert.Equal(3, store.Items(second.Id, null).Count);
    }

    [Fact]
    public void A_store_from_a_newer_module_is_refused()
    {
        using (var setup = OpenStore())
            setup.CreateOrUpdateJob("j", Options);
        SetSchemaVersion(99);
        var error = Assert.Throws<JobStoreException>(() => OpenStore().Dispose());
        Assert.Equal("JobStoreTooNew", error.ErrorId);
    }

    [Fact]
    public void Quality_metrics_are_kept_with_the_outcome_and_read_back()
    {
        using var store = OpenStore();
        long job = store.CreateOrUpdateJob("m", Options).Id;
        store.AddItems(job, Items(2), redoDone: false);
        var claimed = store.Claim(job, "w", 2, Soon);
        const string metrics = "{\"ConsistencyPsnr\":41.5,\"NonFiniteValues\":0}";
        store.Complete("w", [new ItemOutcome(claimed[0].Id, ItemStatus.Succeeded, null, null, 1, 1, 1, 2, 2, metrics), Succeeded(claimed[1].Id)]);
        var items = store.Items(job, null);
        Assert.Equal(metrics, items.Single(i => i.Id == claimed[0].Id).Metrics);
        Assert.Null(items.Single(i => i.Id == claimed[1].Id).Metrics);
    }
}
