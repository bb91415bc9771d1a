using System.Management.Automation;
using Swin2SR.PowerShell.Completion;

namespace Swin2SR.PowerShell.Commands;

/// <summary>Continues jobs with their recorded options: after a crash, a reboot, Ctrl+C or Stop-Swin2SRJob.</summary>
[Cmdlet(VerbsLifecycle.Resume, "Swin2SRJob", SupportsShouldProcess = true)]
[OutputType(typeof(Swin2SRUpscaleResult))]
[OutputType(typeof(Jobs.UpscaleBackgroundJob))]
public sealed class ResumeSwin2SRJobCommand : UpscaleCommandBase
{
    private readonly HashSet<string> _resumed = new(StringComparer.Ordinal);

    /// <summary>
    /// Named JobName because PowerShell binds by the parameter's own name before its aliases: job items and upscale
    /// results have a Name too (their file's), so under -Name they would bind a file name as the job. Get-Swin2SRJob
    /// output, which has no JobName, binds through the alias.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(JobNameCompleter))]
    public string[] JobName { get; set; } = [];

    /// <summary>Bound from the Store of the jobs, items and results piped in, as on the other job cmdlets (<see cref="JobCommandBase.JobStore"/>).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Store")]
    [ValidateNotNullOrEmpty]
    public override string? JobStore { get; set; }

    /// <summary>Queue the job's failed items again as well.</summary>
    [Parameter]
    public SwitchParameter RetryFailed { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var name in JobName)
        {
            // Items piped from Get-Swin2SRJobItem name their job once each: the first resume does the job's work.
            if (!_resumed.Add(InStore(name)))
                continue;
            if (ShouldProcess(name, RetryFailed ? "Resume the Swin2SR job, its failed images too" : "Resume the Swin2SR job"))
                Execute(() => UpscaleRunStarter.StartResume(Store, name, RetryFailed, PathMap, AskedDevices) ?? SayNothingIsLeft(name), SayIfNothingIsLeft);
        }
    }

    /// <summary>A resume of a finished job writes no results: it says so, rather than end without a word.</summary>
    private UpscaleRun? SayNothingIsLeft(string jobName)
    {
        WriteWarning(RetryFailed
            ? $"Job '{jobName}' has nothing left to do: no image is pending or failed."
            : $"Job '{jobName}' has nothing left to do: no image is pending (-RetryFailed also redoes the ones that failed).");
        return null;
    }

    /// <summary>Another worker may finish the last items between the check before the run and its start.</summary>
    private void SayIfNothingIsLeft(UpscaleRun run)
    {
        if (run.Total == 0)
            SayNothingIsLeft(run.JobName);
    }
}
