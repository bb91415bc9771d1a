using Swin2SR.Core.Jobs;
using Swin2SR.Core.Pipeline;

namespace Swin2SR.PowerShell.Commands;

/// <summary>An Invoke's job before any run: its inputs queued for workers (-QueueOnly), or the outputs a run would plan (-WhatIf, -Confirm).</summary>
internal static class JobPlanning
{
    /// <summary>
    /// Invoke -QueueOnly: records the job, its devices too, and its inputs for workers to Resume (here or on other hosts). The inputs it
    /// leaves failed, unchanged since they failed, are said in <paramref name="leftFailed"/> as a run says them.
    /// </summary>
    public static Swin2SRJobInfo Queue(JobStoreTarget target, string jobName, string modelPath, IReadOnlyList<string> inputs, string? outputDirectory, UpscaleSettings settings,
        DeviceChoice devices, out string? leftFailed)
    {
        using var queries = JobStoreQueries.OpenToRecord(target);
        leftFailed = queries.Record(jobName, devices.RecordIn(settings.ToJobOptions(modelPath, outputDirectory)), inputs, settings.RetryFailed, settings.ListedRoot);
        return queries.Summary(jobName);
    }

    /// <summary>
    /// The outputs a run of <paramref name="jobName"/> will plan for these inputs (<see cref="JobPlanner.PlanOutputs"/>),
    /// for -WhatIf, -Confirm and the output-folder check: below the root the job recorded, an already-done output kept
    /// where it is. The store is only read; a job not there yet plans as a new one. Null: no job, no -OutputDirectory or no
    /// store yet, where the listing alone decides.
    /// </summary>
    public static IReadOnlyList<UpscaleItem>? PlanInJob(JobStoreTarget target, string? jobName, string modelPath, IReadOnlyList<string> inputs,
        string? outputDirectory, UpscaleSettings settings)
    {
        if (jobName is null || outputDirectory is null)
            return null;
        try
        {
            // Opened as Get-Swin2SRJob opens it: an older schema is upgraded (a schema read as it is may lack what the plan
            // reads), no job or item is written.
            using var store = target.OpenExisting(JobStoreAccess.Query);
            return JobPlanner.PlanOutputs(store, jobName, settings.ToJobOptions(modelPath, outputDirectory), inputs, settings.ListedRoot);
        }
        catch (JobStoreException e) when (e.ErrorId == Core.Jobs.Sqlite.SqliteJobStore.NotFoundErrorId)
        {
            // A store the run is to create: its job is new.
            return null;
        }
        catch (JobStoreException e)
        {
            throw JobStoreErrorRecords.StoreFailure(e, target.Display);
        }
    }
}
