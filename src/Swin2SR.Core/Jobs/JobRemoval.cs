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
        var unfinished = workersRunning ? [] : store.Items(jobId, [ItemStatus.Pending, ItemStatus.Running]);
        store.RemoveJob(jobId);
        foreach (var item in unfinished)
            ImageWriter.RemoveStaleTemporaryFiles(item.OutputPath);
    }
}
