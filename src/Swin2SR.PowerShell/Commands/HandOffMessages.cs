using Swin2SR.Core.Jobs;

namespace Swin2SR.PowerShell.Commands;

/// <summary>What an Invoke says when it leaves the job's images to another run that works on them (see <see cref="JobHandOff"/>).</summary>
internal static class HandOffMessages
{
    public static string LeftToOtherRuns(long running, IReadOnlyList<WorkerRecord> runs) =>
        $"The job's other {running} {(running == 1 ? "image is" : "images are")} being upscaled by another run "
        + $"({string.Join(", ", runs.Select(w => $"{w.Host}:{w.ProcessId}"))}): this run leaves them to it and ends, with nothing new of its own.";

    /// <param name="fresh">The inputs this run added or queued again.</param>
    /// <param name="pending">The job's images waiting: the other run's own too, and those an earlier run left to it.</param>
    public static string HandedOver(string jobName, int fresh, long pending, WorkerRecord taker, string storeArgument)
    {
        string what = fresh > 0 ? $"this run handed it its {fresh} new {(fresh == 1 ? "image" : "images")}"
            : $"this run, with no new image of its own, leaves it the job's {pending} {(pending == 1 ? "image" : "images")} waiting";
        return $"Job '{jobName}' is being upscaled by another run on this computer ({taker.Host}:{taker.ProcessId}) with the same options and devices: "
            + $"{what} and ends without loading a model of its own. "
            + $"Get-Swin2SRJob {Completion.CompletionArgument.Quoted(jobName)}{storeArgument} shows their progress.";
    }
}
