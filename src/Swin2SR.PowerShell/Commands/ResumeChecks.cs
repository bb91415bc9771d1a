using Swin2SR.Core.Jobs;

namespace Swin2SR.PowerShell.Commands;

/// <summary>What Resume asks of a job before it loads a model for it: that something is left to run, and that its outputs can be written.</summary>
internal static class ResumeChecks
{
    /// <summary>
    /// A job whose outputs cannot be written here is not run: its images stay Pending, for a Resume once the folder
    /// is writable, instead of each failing after it was computed. Not terminating: jobs piped after it are resumed.
    /// </summary>
    public static void RequireWritableOutputFolders(IJobStore store, JobRecord job, bool retryFailed, PathMap paths, string storeArgument)
    {
        IReadOnlyCollection<ItemStatus> waiting = retryFailed ? [ItemStatus.Pending, ItemStatus.Failed] : [ItemStatus.Pending];
        var items = JobStoreErrorRecords.Guard(store.Location, () => store.Items(job.Id, waiting));
        var refused = OutputFolderCheck.Refusals(items.Select(item => paths.Map(item.OutputPath)));
        if (refused.Count == 0)
            return;
        string others = refused.Count == 1 ? "" : $" ({refused.Count - 1} other output {(refused.Count == 2 ? "folder" : "folders")} of the job cannot be written either)";
        string resume = $"Resume-Swin2SRJob {Completion.CompletionArgument.Quoted(job.Name)}{storeArgument}{(retryFailed ? " -RetryFailed" : "")}";
        throw new SetupFailedException(OutputFolderCheck.Record(refused[0].Refusal, refused[0].Outputs,
            $"job '{job.Name}' was not run, and its images wait as they were{others}", $"run {resume} again"), terminating: false);
    }

    /// <summary>No item pending or held by a worker (and, with -RetryFailed, none failed): a resume would run nothing.</summary>
    public static bool NothingLeft(IJobStore store, JobRecord job, bool retryFailed)
    {
        var summary = JobStoreErrorRecords.Guard(store.Location, () => store.Summarize(job, _ => false));
        return summary.Pending + summary.Running == 0 && (!retryFailed || summary.Failed == 0);
    }
}
