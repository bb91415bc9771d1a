using Swin2SR.Core.Imaging;

namespace Swin2SR.Core.Jobs;

/// <summary>
/// Deletes a job's journal, and the hidden temp files that writes of its unfinished items left when their process
/// was killed: a run would delete them when it took the item again, but a removed job never runs again, and they
/// would stay in the output folders for good. Outputs are never touched.
/// </summary>
public static class JobRemoval
{
    /// <param name="workersRunning">Live workers hold items of the job (Remove-Swin2SRJob -Force): their temp files are
    /// writes in progress, and are left alone.</param>
    public static void Remove(IJobStore store, long jobId, bool workersRunning)
    {
        // No worker runs the job: one listing of each folder finds every temp file it left.
        var left = new LeftTemporaryFiles();
        var unfinished = workersRunning ? [] : UnfinishedOutputs(store, jobId);
        // Usually none is left (a queued job, a run that stopped cleanly), and the other jobs are not read: in a
        // store of 1,000 queued jobs, reading their items made each removal take 0.13 s.
        unfinished.RemoveWhere(output => !left.AnyFor(output));
        // Another job of the store that still has to write one of these outputs may be writing it now: its temp
        // file is its own to clear when it takes the item.
        if (unfinished.Count > 0)
            unfinished.ExceptWith(store.ListJobs().Where(j => j.Id != jobId).SelectMany(j => UnfinishedOutputs(store, j.Id)));
        store.RemoveJob(jobId);
        foreach (var output in unfinished)
            left.RemoveFor(output);
    }

    private static HashSet<string> UnfinishedOutputs(IJobStore store, long jobId) =>
        store.Items(jobId, [ItemStatus.Pending, ItemStatus.Running]).Select(i => i.OutputPath).ToHashSet(Pipeline.OutputPlanner.PathComparer);
}
