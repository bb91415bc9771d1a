using System.Management.Automation;
using Swin2SR.PowerShell.Completion;

namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// Upscales images with a Swin2SR model. Inputs are gathered as they arrive on the pipeline; the run starts in
/// EndProcessing, when the whole set (and so the folder structure to mirror) is known. Engine threads post
/// results to a queue that this cmdlet drains on the pipeline thread.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "Swin2SRUpscale", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(Swin2SRUpscaleResult))]
[OutputType(typeof(Swin2SRJobInfo))]
[OutputType(typeof(Jobs.UpscaleBackgroundJob))]
public sealed class InvokeSwin2SRUpscaleCommand : UpscaleCommandBase
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    private readonly List<string> _inputs = [];
    private bool _anyPathFailed;

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    // InputPath: this cmdlet's results and Get-Swin2SRJobItem's items bind by it (their text, "Failed: <path>", is no path).
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "InputPath")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    [Parameter]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    public string? Model { get; set; }

    [Parameter]
    [ValidateSet("2", "4")]
    public int Scale { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputDirectory { get; set; }

    [Parameter]
    [ValidateSet("Same", "Png", "Jpeg", "Webp")]
    public string Format { get; set; } = "Same";

    [Parameter]
    [ValidateRange(1, 100)]
    public int Quality { get; set; } = 95;

    [Parameter]
    [ValidateRange(8, 2048)]
    public int TileSize { get; set; }

    [Parameter]
    [ValidateRange(0, 1024)]
    public int TileOverlap { get; set; } = 16;

    /// <summary>Unset: found per device and tile shape from throughput and free memory.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int BatchSize { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Inputs over this size are refused from their header, before decoding (decompression bombs).</summary>
    [Parameter]
    [ValidateRange(0.001, 100_000)]
    public double MaxInputMegapixels { get; set; }

    [Parameter]
    [ValidateRange(0.001, 1_000_000)]
    public double MaxOutputMegapixels { get; set; }

    [Parameter]
    [ValidateSet("Bicubic", "Model")]
    public string AlphaMode { get; set; } = "Bicubic";

    /// <summary>Outputs less consistent with their input than this (dB) fail with QualityCheckFailed; 0 turns the check off.</summary>
    [Parameter]
    [ValidateRange(0, 200)]
    public double MinConsistencyPsnr { get; set; }

    /// <summary>A folder where outputs the quality gate rejects are kept for review.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KeepRejected { get; set; }

    /// <summary>The output states the input's resolution times the scale, so it prints at the input's size.</summary>
    [Parameter]
    public SwitchParameter KeepPrintSize { get; set; }

    /// <summary>
    /// Not bound from the pipeline: job items piped in name their store, and a parameter of both sets bound by property
    /// name made PowerShell keep the -Path set and bind the item's text ("Failed: D:\a.jpg") as a path, not its InputPath.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public override string? JobStore { get; set; }

    /// <summary>The job this run adds its inputs to; without it a new job with a generated name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateJobName]
    [ArgumentCompleter(typeof(JobNameCompleter))]
    public string? JobName { get; set; }

    /// <summary>Only record the job and its inputs; workers (here or on other hosts) run it with Resume-Swin2SRJob.</summary>
    [Parameter]
    public SwitchParameter QueueOnly { get; set; }

    /// <summary>Inputs that failed in an earlier run of the job in a way they would again, unchanged since, are tried again.</summary>
    [Parameter]
    public SwitchParameter RetryFailed { get; set; }

    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName == LiteralPathSet;
        _inputs.AddRange(InputPathResolver.ResolveAll(this, literal ? LiteralPath : Path, literal, () => _anyPathFailed = true));
    }

    protected override void EndProcessing()
    {
        if (_inputs.Count == 0)
        {
            // Paths that resolve to nothing have their own errors; an empty pipeline, or a folder without images,
            // would otherwise end without a word, and a scheduled run's log would read like a night with nothing new.
            if (!_anyPathFailed)
                WriteWarning(InputPathResolver.NoInputWarning("Invoke-Swin2SRUpscale", "nothing was upscaled"));
            return;
        }
        string modelPath;
        try
        {
            // A path is taken from PowerShell's location (and may use ~ or a drive), not from the process's folder.
            string? model = Model is not null && Core.Models.ModelLocator.IsPath(Model) ? FileSystemPath.Resolve(this, Model) : Model;
            modelPath = ModelLookup.Resolve(model, MyInvocation.BoundParameters.ContainsKey(nameof(Scale)) ? Scale : null);
        }
        catch (SetupFailedException e)
        {
            ThrowTerminatingError(e.Record);
            return;
        }
        catch (SessionStateException e)
        {
            // A drive or provider that does not exist (X:\model.onnx).
            ThrowTerminatingError(ModelLookup.NotFound(e, Model));
            return;
        }
        string? outputDirectory = OutputDirectory is null ? null : FileSystemPath.Resolve(this, OutputDirectory);
        if (outputDirectory is not null && File.Exists(outputDirectory))
        {
            // Every output would fail alike: a setup problem, not one per image.
            ThrowTerminatingError(new ErrorRecord(new IOException($"-OutputDirectory {outputDirectory} is a file, not a folder."),
                "OutputDirectoryIsFile", ErrorCategory.InvalidArgument, outputDirectory));
        }
        string? rejectedDirectory = KeepRejected is null ? null : FileSystemPath.Resolve(this, KeepRejected);
        int batchSize = MyInvocation.BoundParameters.ContainsKey(nameof(BatchSize)) ? BatchSize : Core.Pipeline.UpscaleOptions.AutomaticBatchSize;
        var settings = new UpscaleSettings(Format, Quality, TileSize, TileOverlap, batchSize, Force)
        {
            MaxInputMegapixels = Bound(nameof(MaxInputMegapixels), MaxInputMegapixels),
            MaxOutputMegapixels = Bound(nameof(MaxOutputMegapixels), MaxOutputMegapixels),
            AlphaMode = AlphaMode,
            MinConsistencyPsnr = Bound(nameof(MinConsistencyPsnr), MinConsistencyPsnr),
            KeepRejected = rejectedDirectory,
            KeepPrintSize = KeepPrintSize,
            RetryFailed = RetryFailed,
        };
        try
        {
            TilingCheck.Check(modelPath, outputDirectory, settings);
        }
        catch (SetupFailedException e)
        {
            ThrowTerminatingError(e.Record);
        }
        var inputs = InputScreening.LeaveOutEarlierOutputs(_inputs, outputDirectory, rejectedDirectory, WriteWarning, WriteVerbose);
        var planned = InputScreening.Plan(inputs, outputDirectory, Format, WriteWarning, WriteVerbose);
        List<string> listed = [.. planned.Select(item => item.InputPath)];
        settings = settings with { ListedRoot = outputDirectory is null ? null : Core.Pipeline.OutputPlanner.CommonDirectory(listed) };
        try
        {
            // An existing job's outputs go below the folder of its first run, not tonight's listing's: asked and tried there.
            planned = JobPlanning.PlanInJob(Store, JobName, modelPath, listed, outputDirectory, settings) ?? planned;
        }
        catch (SetupFailedException e)
        {
            ThrowTerminatingError(e.Record);
        }
        var approved = Approve(modelPath, QueueOnly ? planned : LeaveOutUnwritableFolders(planned));
        if (approved.Count == 0)
            return;
        string jobName = JobName ?? Core.Jobs.JobNames.Generate();
        if (QueueOnly)
        {
            try
            {
                var job = JobPlanning.Queue(Store, jobName, modelPath, approved, outputDirectory, settings, Devices, out string? leftFailed);
                AnnounceGeneratedName(jobName);
                if (leftFailed is not null)
                    WriteWarning(leftFailed);
                WriteObject(job);
            }
            catch (SetupFailedException e)
            {
                ThrowTerminatingError(e.Record);
            }
            return;
        }
        Execute(() => UpscaleRunStarter.StartInvoke(Store, jobName, modelPath, approved, outputDirectory, settings, PathMap, Devices), run =>
        {
            AnnounceGeneratedName(run.JobName);
            WarnOfIgnoredScale(run);
        });
    }

    /// <summary>-Model decides the scale: a -Scale that disagrees is said to be ignored, not silently overruled.</summary>
    private void WarnOfIgnoredScale(UpscaleRun run)
    {
        if (Model is not null && MyInvocation.BoundParameters.ContainsKey(nameof(Scale)) && Scale != run.Scale)
            WriteWarning($"-Scale {Scale} is ignored: the model '{run.ModelName}' upscales {run.Scale}x, and its outputs are {run.Scale} times the size of their inputs.");
    }

    /// <summary>
    /// A name the user did not choose is shown, to find the job again; only once the job exists, as a run that fails
    /// before it starts leaves no job to show or continue.
    /// </summary>
    private void AnnounceGeneratedName(string jobName)
    {
        if (JobName is null)
        {
            string store = Store.Argument;
            WriteInformation(new HostInformationMessage { Message = $"Swin2SR job '{jobName}' (Get-Swin2SRJob '{jobName}'{store} shows it; Resume-Swin2SRJob '{jobName}'{store} continues it)." }, ["PSHOST"]);
        }
    }

    /// <summary>The value of a parameter the user gave; null leaves the engine's default.</summary>
    private double? Bound(string name, double value) => MyInvocation.BoundParameters.ContainsKey(name) ? value : null;

    /// <summary>
    /// The outputs whose folder can be written: each folder that cannot is one error, before any image is computed
    /// or the job is changed, and -WhatIf says it too. Not for -QueueOnly: its workers may run as another user, or on
    /// hosts that see the folder elsewhere (-PathMap); Resume-Swin2SRJob tries the folders where it runs.
    /// </summary>
    private IEnumerable<Core.Pipeline.UpscaleItem> LeaveOutUnwritableFolders(IReadOnlyList<Core.Pipeline.UpscaleItem> planned)
    {
        var refused = OutputFolderCheck.Refusals(planned.Select(item => item.OutputPath));
        foreach (var folder in refused)
            WriteError(OutputFolderCheck.Record(folder.Refusal, folder.Outputs, "not upscaled by this run", "run the command again"));
        return planned.Where(item => !refused.Any(folder => folder.OutputFolders.Contains(OutputFolderCheck.OutputFolder(item.OutputPath))));
    }

    /// <summary>
    /// -WhatIf and -Confirm: one question per output file; only the approved inputs run. An output that exists is
    /// said to be skipped, as the run would skip it, unless -Force replaces it; with -JobName, unless the job redoes
    /// its own output of an input changed since (which only the run, not this question, looks up).
    /// </summary>
    private List<string> Approve(string modelPath, IEnumerable<Core.Pipeline.UpscaleItem> planned)
    {
        string model = System.IO.Path.GetFileNameWithoutExtension(modelPath);
        var approved = new List<string>();
        foreach (var item in planned)
        {
            string upscale = QueueOnly ? $"Queue '{item.InputPath}' in {(JobName is null ? "a new job" : $"job '{JobName}'")}, to be upscaled with model '{model}' by Resume-Swin2SRJob"
                : $"Upscale '{item.InputPath}' with model '{model}'";
            string action = (Force || !File.Exists(item.OutputPath)) ? upscale
                : JobName is null ? $"Skip '{item.InputPath}': its output exists (-Force replaces it)"
                : $"Skip '{item.InputPath}' unless job '{JobName}' made its output from an older version of it: its output exists (-Force replaces it)";
            if (ShouldProcess(item.OutputPath, action))
                approved.Add(item.InputPath);
        }
        return approved;
    }
}
