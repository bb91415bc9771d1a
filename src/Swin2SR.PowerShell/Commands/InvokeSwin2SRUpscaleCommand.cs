using System.Diagnostics;
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
public sealed class InvokeSwin2SRUpscaleCommand : PSCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private static readonly TimeSpan s_progressInterval = TimeSpan.FromMilliseconds(500);

    private readonly List<string> _inputs = [];
    private UpscaleRun? _run;
    private volatile bool _stopping;

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
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

    [Parameter]
    [ValidateRange(1, 256)]
    public int BatchSize { get; set; } = 4;

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName == LiteralPathSet;
        foreach (var path in literal ? LiteralPath : Path)
        {
            foreach (var (resolved, error) in InputPathResolver.Resolve(this, path, literal))
            {
                if (error is not null)
                    WriteError(error);
                else
                    _inputs.Add(resolved!);
            }
        }
    }

    protected override void EndProcessing()
    {
        if (_inputs.Count == 0)
            return;
        try
        {
            string modelPath = UpscaleRun.ResolveModel(Model, MyInvocation.BoundParameters.ContainsKey(nameof(Scale)) ? Scale : null);
            string? outputDirectory = OutputDirectory is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutputDirectory);
            var approved = Approve(modelPath, outputDirectory);
            if (approved.Count == 0)
                return;
            _run = UpscaleRun.Start(modelPath, approved, outputDirectory, new UpscaleSettings(Format, Quality, TileSize, TileOverlap, BatchSize, Force));
            Drain(_run);
        }
        catch (SetupFailedException e)
        {
            ThrowTerminatingError(e.Record);
        }
        finally
        {
            _run?.Dispose();
            _run = null;
        }
    }

    protected override void StopProcessing()
    {
        _stopping = true;
        _run?.Cancel();
    }

    /// <summary>-WhatIf and -Confirm: one question per output file; only the approved inputs run.</summary>
    private List<string> Approve(string modelPath, string? outputDirectory)
    {
        string model = System.IO.Path.GetFileNameWithoutExtension(modelPath);
        var approved = new List<string>();
        foreach (var (input, output) in UpscaleRun.Plan(_inputs, outputDirectory, Format))
        {
            if (ShouldProcess(output, $"Upscale '{input}' with model '{model}'"))
                approved.Add(input);
        }
        return approved;
    }

    private void Drain(UpscaleRun run)
    {
        var clock = Stopwatch.StartNew();
        var progress = new UpscaleProgress(run.Total, run.ModelName);
        var lastProgress = -s_progressInterval;
        while (!run.IsComplete)
        {
            if (_stopping)
            {
                run.WaitForShutdown(TimeSpan.FromSeconds(1.5));
                throw new PipelineStoppedException();
            }
            var result = run.Next(TimeSpan.FromMilliseconds(200), out var error);
            if (result is not null)
            {
                progress.Add(result.Status);
                if (error is not null)
                    WriteError(error);
                else if (result.Status == Swin2SRItemStatus.Skipped)
                    WriteVerbose(result.Error);
                WriteObject(result);
            }
            if (clock.Elapsed - lastProgress >= s_progressInterval || result is not null)
            {
                WriteProgress(progress.Record(clock.Elapsed));
                lastProgress = clock.Elapsed;
            }
        }
        WriteProgress(progress.Completed());
    }
}
