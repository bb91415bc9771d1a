using System.Diagnostics;
using System.Management.Automation;

namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// Moves a run's results to its output as they come, with progress at least twice a second, on the calling
/// thread (the pipeline thread for a cmdlet, which is the only one allowed to write).
/// </summary>
internal static class RunDrainer
{
    private static readonly TimeSpan s_progressInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(200);

    /// <summary>Returns when the run is over, or soon after <see cref="IRunOutput.Stopping"/> is set.</summary>
    public static void Drain(UpscaleRun run, IRunOutput output)
    {
        var clock = Stopwatch.StartNew();
        var progress = new UpscaleProgress(run.Total, run.JobName);
        var lastProgress = -s_progressInterval;
        bool saidGrown = false;
        // Another run may hand the job new images while this one works on it (a hot folder's next cron run): the
        // progress counts each as this run takes it up, rather than pass 100% with no time remaining. Counted from
        // the runner, not asked of the store: this thread writes the progress and hears Ctrl+C, and a store that is
        // away retries for a minute.
        void CountHandedImages()
        {
            bool grew = progress.AtLeast(run.ImagesTakenUp);
            if (grew && !saidGrown)
                output.Verbose($"Images were added to job '{run.JobName}' while this run worked on it: its progress counts them too.");
            saidGrown |= grew;
        }
        while (!run.IsComplete)
        {
            if (output.Stopping)
            {
                run.Cancel();
                run.WaitForShutdown(TimeSpan.FromSeconds(1.5));
                // Images that finished as the run stopped are done in the job: a PowerShell job, read after Stop-Job,
                // reports them too (Receive-Job said fewer than Get-Swin2SRJob counted). A stopped pipeline takes nothing more.
                if (output.ReadAfterStop)
                    while (run.Next(TimeSpan.Zero, out var stoppedError) is { } stoppedResult)
                        PassOn(stoppedResult, stoppedError, output);
                return;
            }
            PassOnNotes(run, output);
            var result = run.Next(s_poll, out var error);
            if (result is not null)
            {
                progress.Add(result.Status);
                PassOn(result, error, output);
            }
            CountHandedImages();
            if (clock.Elapsed - lastProgress >= s_progressInterval || result is not null)
            {
                output.Progress(progress.Record(clock.Elapsed, run.ImagesInFlight, run.Remaining(clock.Elapsed), run.InputsInFlight));
                lastProgress = clock.Elapsed;
            }
        }
        PassOnNotes(run, output);
        output.Progress(progress.Completed());
        // A run that ended early is an error, not a warning: its images were not all done, and a scheduled run
        // (pwsh -Command exits 1 when the last command wrote an error) must not read like a finished one.
        if (run.StoppedByRequest)
            output.Error(EndedEarly(run, "JobStopped",
                $"Job '{run.JobName}' was stopped by Stop-Swin2SRJob before this run finished its images; Resume-Swin2SRJob {run.JobNameArgument}{run.StoreArgument} continues it."));
        else if (run.JobRemoved)
            output.Error(EndedEarly(run, "JobRemoved",
                $"Job '{run.JobName}' was removed (Remove-Swin2SRJob -Force) while this run worked on it, so the run ended early: " +
                "the images it had not begun were not upscaled, and the outcomes of the last ones were not journaled. Run the command again to start the job anew."));
        if (run.StoppedForOutputDisk is { } stop)
            output.Warning(OutputDiskWarning(run, stop.OutputPath, stop.ReadOnly));
    }

    private static void PassOn(Swin2SRUpscaleResult result, ErrorRecord? error, IRunOutput output)
    {
        if (error is not null)
            output.Error(error);
        else if (result.Status == Swin2SRItemStatus.Skipped)
            output.Verbose(result.Error ?? "");
        // An input done by an earlier run keeps that run's warnings on its result, but they were said then: a nightly
        // rerun of a folder would repeat every one of them each night.
        if (result.ErrorId != Core.Jobs.JobPlanner.AlreadyDoneId)
            foreach (var warning in result.Warnings)
                output.Warning(warning);
        output.Result(result);
    }

    private static ErrorRecord EndedEarly(UpscaleRun run, string errorId, string message) =>
        new(new OperationCanceledException(message), errorId, ErrorCategory.OperationStopped, run.JobName);

    private static string OutputDiskWarning(UpscaleRun run, string outputPath, bool readOnly)
    {
        string folder = Path.GetDirectoryName(outputPath) ?? outputPath;
        var (found, remedy) = readOnly
            ? ($"found the disk of '{folder}' mounted read-only", "Make it writable again (remount it read-write, or check the disk or share that went read-only)")
            : ($"found no space left on the disk of '{folder}'", "Free some space");
        return $"Job '{run.JobName}' stopped: {Core.Jobs.OutputDiskBreaker.Limit} outputs in a row {found}, and the run stopped rather than compute " +
            $"images only to fail writing them. {remedy}, then Resume-Swin2SRJob {run.JobNameArgument}{run.StoreArgument} -RetryFailed (which also redoes the images that failed for it).";
    }

    private static void PassOnNotes(UpscaleRun run, IRunOutput output)
    {
        while (run.TryTakeNote(out var note))
            output.Warning(note);
        while (run.TryTakeDetail(out var detail))
            output.Verbose(detail);
    }
}
