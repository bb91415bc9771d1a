using System.Management.Automation;
using System.Reflection;
using Swin2SR.PowerShell.Commands;

namespace Swin2SR.PowerShell.Jobs;

/// <summary>
/// -AsJob: the run drains on a background thread into this job's streams, so Get-Job, Receive-Job, Wait-Job and
/// Stop-Job work as with Start-ThreadJob. The job is also a Swin2SR job in the store, watchable from any session.
/// </summary>
public sealed class UpscaleBackgroundJob : Job2, IRunOutput
{
    // Job2.SetJobState(state, reason), which sets JobStateInfo.Reason, is protected in PowerShell but left out of the
    // PowerShellStandard reference assembly this module builds against.
    private static readonly MethodInfo? s_setJobStateWithReason = typeof(Job2).GetMethod(nameof(SetJobState),
        BindingFlags.Instance | BindingFlags.NonPublic, null, [typeof(JobState), typeof(Exception)], null);

    // ErrorRecord.SetInvocationInfo, which WriteError calls, is internal: it adds the command to the record's
    // FullyQualifiedErrorId ('UnsupportedFormat,Swin2SR.PowerShell.Commands.InvokeSwin2SRUpscaleCommand') and
    // CategoryInfo, and the command's position to its display.
    private static readonly MethodInfo? s_setInvocationInfo = typeof(ErrorRecord).GetMethod("SetInvocationInfo",
        BindingFlags.Instance | BindingFlags.NonPublic, null, [typeof(InvocationInfo)], null);

    private readonly UpscaleRun _run;
    private readonly InvocationInfo _invocation;
    private volatile bool _stopping;
    private Thread? _thread;

    /// <param name="invocation">The command that started the job, which its error records name as the command's own do.</param>
    internal UpscaleBackgroundJob(UpscaleRun run, string command, string name, InvocationInfo invocation)
        : base(command, name)
    {
        _run = run;
        _invocation = invocation;
        PSJobTypeName = "Swin2SRJob";
    }

    public override bool HasMoreData => Output.Count > 0 || Error.Count > 0 || Progress.Count > 0 || Warning.Count > 0 || Verbose.Count > 0;
    public override string Location => Environment.MachineName;
    public override string StatusMessage => _run.JobName;

    public override void StartJob()
    {
        SetJobState(JobState.Running);
        _thread = new Thread(Work) { IsBackground = true, Name = $"Swin2SR job {Name}" };
        _thread.Start();
    }

    private void Work()
    {
        var final = JobState.Completed;
        // A failed job says why in JobStateInfo.Reason, as a thread job does, as well as in its error stream.
        Exception? reason = null;
        try
        {
            RunDrainer.Drain(_run, this);
            // Stop-Swin2SRJob, from any session, stops the run as Stop-Job does: the job did not finish its images.
            if (_stopping || _run.StoppedByRequest)
                final = JobState.Stopped;
        }
        catch (SetupFailedException e)
        {
            AddError(e.Record);
            (final, reason) = (JobState.Failed, e.Record.Exception);
        }
        catch (Exception e)
        {
            // An unhandled exception on a worker thread would end the whole process.
            AddError(new ErrorRecord(e, "JobFailed", ErrorCategory.NotSpecified, Name));
            (final, reason) = (JobState.Failed, e);
        }
        finally
        {
            _run.Dispose();
        }
        if (reason is not null && s_setJobStateWithReason is { } withReason)
            withReason.Invoke(this, [final, reason]);
        else
            SetJobState(final);
    }

    public override void StopJob()
    {
        if (IsFinished)
            return;
        SetJobState(JobState.Stopping);
        _stopping = true;
        _run.Cancel();
        _thread?.Join();
    }

    public override void StartJobAsync() => ThreadPool.QueueUserWorkItem(_ => { StartJob(); OnStartJobCompleted(new System.ComponentModel.AsyncCompletedEventArgs(null, false, null)); });
    public override void StopJobAsync() => ThreadPool.QueueUserWorkItem(_ => { StopJob(); OnStopJobCompleted(new System.ComponentModel.AsyncCompletedEventArgs(null, false, null)); });
    public override void StopJob(bool force, string reason) => StopJob();
    public override void StopJobAsync(bool force, string reason) => StopJobAsync();
    public override void SuspendJob() => throw new NotSupportedException("A Swin2SR job cannot be suspended; stop it and use Resume-Swin2SRJob.");
    public override void SuspendJobAsync() => SuspendJob();
    public override void SuspendJob(bool force, string reason) => SuspendJob();
    public override void SuspendJobAsync(bool force, string reason) => SuspendJob();
    public override void ResumeJob() => throw new NotSupportedException("Use Resume-Swin2SRJob to continue a stopped Swin2SR job.");
    public override void ResumeJobAsync() => ResumeJob();
    public override void UnblockJob() => throw new NotSupportedException("A Swin2SR job never blocks.");
    public override void UnblockJobAsync() => UnblockJob();

    private bool IsFinished => JobStateInfo.State is JobState.Completed or JobState.Failed or JobState.Stopped;

    void IRunOutput.Result(Swin2SRUpscaleResult result) => Output.Add(PSObject.AsPSObject(result));
    void IRunOutput.Error(ErrorRecord error) => AddError(error);

    /// <summary>
    /// A record as the command would have written it: Receive-Job hands on the job's records as they are, so one made
    /// here lacked the command (its id 'UnsupportedFormat' where the same run without -AsJob wrote
    /// 'UnsupportedFormat,Swin2SR.PowerShell.Commands.InvokeSwin2SRUpscaleCommand', which a script matches).
    /// </summary>
    private void AddError(ErrorRecord error)
    {
        if (error.InvocationInfo is null)
            s_setInvocationInfo?.Invoke(error, [_invocation]);
        Error.Add(error);
    }
    void IRunOutput.Progress(ProgressRecord progress) => Progress.Add(progress);
    void IRunOutput.Verbose(string message) => Verbose.Add(new VerboseRecord(message));
    void IRunOutput.Warning(string message) => Warning.Add(new WarningRecord(message));
    bool IRunOutput.Stopping => _stopping;
    bool IRunOutput.ReadAfterStop => true;
}
