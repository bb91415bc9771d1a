using System.Diagnostics;
using Swin2SR.Core.Jobs;
using Swin2SR.Core.Jobs.Sqlite;

namespace Swin2SR.Bench;

/// <summary>
/// How many items per second a job store claims and completes with the access pattern of JobRunner: each worker
/// (a thread with its own store, as a process would have) claims 8 items at a time and commits outcomes 64 at a
/// time. Each item is updated twice (claimed, completed). Also reports the journal's cost per image, to set against
/// an image's processing time. The same measurement serves both engines (see PostgresStoreBenchmark).
/// </summary>
internal static class JobStoreBenchmark
{
    /// <summary>Usage: jobstore [items=20000] [workers=1] — a new SQLite file in the temp folder.</summary>
    public static int Run(string[] args)
    {
        int items = args.Length > 0 ? int.Parse(args[0]) : 20_000;
        int workers = args.Length > 1 ? int.Parse(args[1]) : 1;
        string folder = Path.Combine(Path.GetTempPath(), "swin2sr-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string path = Path.Combine(folder, "jobs.db");
            Measure("sqlite", () => new SqliteJobStore(path), items, workers);
            Console.WriteLine($"  file size:           {new FileInfo(path).Length / (double)items,10:N0} bytes/item");
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Paths as long as real ones on a share: they make up most of an item's bytes.</summary>
    private static NewItem Item(int i) => new(
        $@"\\nas\share\photos\2024\batch-{i / 1000:D4}\IMG_{i:D7}.jpg", $@"\\nas\share\enhanced\2024\batch-{i / 1000:D4}\IMG_{i:D7}.png",
        "PNG", 1_500_000 + i, 1_700_000_000_000 + i, "0123456789ABCDEF");

    /// <returns>The job's id.</returns>
    public static long Measure(string engine, Func<IJobStore> open, int items, int workers)
    {
        long jobId;
        var add = Stopwatch.StartNew();
        using (var store = open())
        {
            jobId = store.CreateOrUpdateJob("bench", new JobOptions { ModelPath = "m.onnx" }).Id;
            store.AddItems(jobId, Enumerable.Range(0, items).Select(Item).ToList(), redoDone: false);
        }
        add.Stop();
        var work = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, workers).Select(w => new Thread(() => Drain(open, jobId, $"w{w}"))).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        work.Stop();
        using (var store = open())
        {
            var summary = store.Summarize(store.FindJob("bench")!, _ => false);
            if (summary.Succeeded != items)
                throw new InvalidOperationException($"{summary.Succeeded} of {items} items succeeded: the store lost work.");
        }
        Console.WriteLine($"{engine}: {items} items, {workers} worker(s), claims of 8, commits of 64");
        Console.WriteLine($"  add items:           {items / add.Elapsed.TotalSeconds,10:N0} items/s");
        Console.WriteLine($"  claim + complete:    {items / work.Elapsed.TotalSeconds,10:N0} items/s ({2.0 * items / work.Elapsed.TotalSeconds:N0} item updates/s)");
        Console.WriteLine($"  journal cost/image:  {1e6 * work.Elapsed.TotalSeconds / items,10:N1} us (per worker: {1e6 * work.Elapsed.TotalSeconds * workers / items:N1} us)");
        Rerun(open, jobId, items);
        return jobId;
    }

    /// <summary>A hot folder's scheduled rerun: every input given again, all done and unchanged.</summary>
    public static void Rerun(Func<IJobStore> open, long jobId, int items)
    {
        var rerun = Stopwatch.StartNew();
        using (var store = open())
        {
            var again = store.AddItems(jobId, Enumerable.Range(0, items).Select(Item).ToList(), redoDone: false);
            if (again.AlreadyDone.Count != items)
                throw new InvalidOperationException($"a rerun found {again.AlreadyDone.Count} of {items} items done.");
        }
        rerun.Stop();
        Console.WriteLine($"  rerun, all done:     {items / rerun.Elapsed.TotalSeconds,10:N0} items/s");
    }

    private static void Drain(Func<IJobStore> open, long jobId, string worker)
    {
        using var store = open();
        var pending = new List<ItemOutcome>(64);
        while (true)
        {
            var claimed = store.Claim(jobId, worker, 8, DateTimeOffset.UtcNow.AddMinutes(1));
            pending.AddRange(claimed.Select(c => new ItemOutcome(c.Id, ItemStatus.Succeeded, null, null, 5, 10, 10, 40, 40)));
            if (pending.Count >= 64 || (claimed.Count == 0 && pending.Count > 0))
            {
                store.Complete(worker, pending);
                pending.Clear();
            }
            if (claimed.Count == 0)
                return;
        }
    }
}
