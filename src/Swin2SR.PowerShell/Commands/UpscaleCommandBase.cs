using System.Management.Automation;
using Swin2SR.PowerShell.Jobs;

namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// What Invoke-Swin2SRUpscale and Resume-Swin2SRJob share: the job store, -AsJob, and draining a run onto the
/// pipeline thread with progress, Ctrl+C and error records.
/// </summary>
public abstract class UpscaleCommandBase : JobStoreCommandBase, IRunOutput
{
    private UpscaleRun? _current;
    private volatile bool _stopping;

    /// <summary>from=to pairs: where this host sees the paths the job's items were recorded with; default $env:SWIN2SR_PATHMAP.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? PathMap { get; set; }

    [Parameter]
    public SwitchParameter AsJob { get; set; }

    /// <summary>Auto: every NVIDIA GPU whose CUDA provider loads, else the CPU (with a warning that says why).</summary>
    [Parameter]
    [ValidateSet("Auto", "Cpu", "Cuda")]
    public string Device { get; set; } = "Auto";

    /// <summary>CUDA device ids to use (default: all).</summary>
    [Parameter]
    [ValidateRange(0, 63)]
    [ArgumentCompleter(typeof(Completion.DeviceIdCompleter))]
    public int[]? DeviceId { get; set; }

    /// <summary>Fp16: the model rewritten in half precision (faster on GPUs); an image whose fp16 output fails the quality gate is redone in Fp32.</summary>
    [Parameter]
    [ValidateSet("Fp32", "Fp16")]
    public string Precision { get; set; } = "Fp32";

    /// <summary>
    /// A malformed -PathMap (or $env:SWIN2SR_PATHMAP) is refused before any input is looked at, so that a -WhatIf
    /// rehearsal does not say every image would run for a command that cannot start.
    /// </summary>
    protected override void BeginProcessing()
    {
        try
        {
            PathMapArgument.Resolve(PathMap);
        }
        catch (SetupFailedException e)
        {
            ThrowTerminatingError(e.Record);
        }
    }

    private protected DeviceChoice Devices => new(Device, DeviceId, ParsedPrecision);

    /// <summary>The device parameters given on the command line, null for each left out: Resume's, over the job's recorded choice.</summary>
    private protected DeviceRequest AskedDevices => new(
        Given(nameof(Device)) ? Device : null,
        Given(nameof(DeviceId)) ? DeviceId ?? [] : null,
        Given(nameof(Precision)) ? ParsedPrecision : null);

    private Core.Inference.Precision ParsedPrecision => Enum.Parse<Core.Inference.Precision>(Precision, ignoreCase: true);

    private bool Given(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

    private readonly HashSet<string> _deviceWarningsShown = new(StringComparer.Ordinal);

    /// <summary>Starts a run and either drains it here or hands it to a background job.</summary>
    /// <param name="start">Null from it: nothing to run (the command said why).</param>
    /// <param name="started">Told of the run once it has started, when its job surely exists.</param>
    private protected void Execute(Func<UpscaleRun?> start, Action<UpscaleRun>? started = null)
    {
        UpscaleRun run;
        try
        {
            if (start() is not { } begun)
                return;
            run = begun;
            run.StoreArgument = Store.Argument;
            run.LeaveOutDeviceWarningsShown(_deviceWarningsShown);
        }
        catch (SetupFailedException e) when (!e.Terminating)
        {
            WriteError(e.Record);
            return;
        }
        catch (SetupFailedException e)
        {
            ThrowTerminatingError(e.Record);
            return;
        }
        try
        {
            started?.Invoke(run);
        }
        catch
        {
            // -InformationAction Stop turns a message into an error: the run must not go on unseen.
            run.Dispose();
            throw;
        }
        if (AsJob)
        {
            var job = new UpscaleBackgroundJob(run, JobCommandText(), run.JobName, MyInvocation);
            UpscaleJobSourceAdapter.Register(JobManager, job);
            job.StartJob();
            WriteObject(job);
            return;
        }
        _current = run;
        try
        {
            RunDrainer.Drain(run, this);
            if (_stopping)
                throw new PipelineStoppedException();
        }
        catch (SetupFailedException e)
        {
            ThrowTerminatingError(e.Record);
        }
        finally
        {
            _current = null;
            run.Dispose();
        }
    }

    // InvocationInfo.Statement (PowerShell 7) is left out of the PowerShellStandard reference this module builds against.
    private static readonly System.Reflection.PropertyInfo? s_statement = typeof(InvocationInfo).GetProperty("Statement");

    /// <summary>
    /// What Get-Job shows as the job's Command: this command as written, as Start-ThreadJob shows its script block,
    /// not the whole line (which held the assignment, the commands that fed the pipeline and whatever followed).
    /// </summary>
    private string JobCommandText() =>
        s_statement?.GetValue(MyInvocation) is string { Length: > 0 } statement ? statement : MyInvocation.MyCommand.Name;

    protected override void StopProcessing()
    {
        _stopping = true;
        _current?.Cancel();
    }

    void IRunOutput.Result(Swin2SRUpscaleResult result) => WriteObject(result);
    void IRunOutput.Error(ErrorRecord error) => WriteError(error);
    void IRunOutput.Progress(ProgressRecord progress) => WriteProgress(progress);
    void IRunOutput.Verbose(string message) => WriteVerbose(message);
    void IRunOutput.Warning(string message) => WriteWarning(message);
    bool IRunOutput.Stopping => _stopping;
    bool IRunOutput.ReadAfterStop => false;
}
