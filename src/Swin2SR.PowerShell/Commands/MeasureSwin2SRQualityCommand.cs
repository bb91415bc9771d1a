using System.Diagnostics;
using System.Management.Automation;

namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// Scores images against references by the standard super-resolution protocol: PSNR and SSIM of the BT.601 luma
/// and PSNR over RGB, after cutting a border off each side. Inputs are gathered as they arrive and measured in
/// EndProcessing, when their number (and so the time remaining) is known.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "Swin2SRQuality", DefaultParameterSetName = PathSet)]
[OutputType(typeof(Swin2SRQualityResult))]
public sealed class MeasureSwin2SRQualityCommand : PSCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private readonly int _progressId = ProgressActivityIds.Next();

    private readonly List<string> _inputs = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private ReferenceMatcher? _references;
    private QualityMeasurement? _measurement;
    private volatile bool _stopping;
    private bool _anyPathFailed;

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Reference { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    // OutputPath: Invoke-Swin2SRUpscale's results and Get-Swin2SRJobItem's items bind by it (their text is no path).
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "OutputPath")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    [Parameter]
    [ValidateRange(1, 16)]
    [ArgumentCompleter(typeof(Completion.ScaleFactorCompleter))]
    public int Scale { get; set; } = 1;

    [Parameter]
    [ValidateRange(0, 1024)]
    public int Border { get; set; }

    protected override void BeginProcessing()
    {
        // The reference is one file, or a folder whose images are matched by name; without it nothing can be measured.
        var resolved = InputPathResolver.Resolve(this, Reference, literal: true, referenceFolder: true).ToList();
        if (resolved is [(null, { } error)])
            ThrowTerminatingError(error);
        string full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Reference);
        // By convention the border is the scale: the outer pixels of an upscaled image depend on padding, not content.
        int border = MyInvocation.BoundParameters.ContainsKey(nameof(Border)) ? Border : Scale > 1 ? Scale : 0;
        _measurement = new QualityMeasurement(Scale, border);
        if (!Directory.Exists(full))
        {
            // Every image would fail on a reference that cannot be read: stop once, naming it.
            if (_measurement.LoadReference(full) is { } unreadable)
                ThrowTerminatingError(unreadable);
            _references = ReferenceMatcher.ForFile(full);
            return;
        }
        if (resolved.Count == 0)
            ThrowTerminatingError(new ErrorRecord(
                new ItemNotFoundException($"The reference folder '{full}' holds no images (.png, .jpg, .webp, .bmp, .tif, .gif)."),
                "NoReferenceImages", ErrorCategory.ObjectNotFound, full));
        _references = ReferenceMatcher.ForFolder(full, resolved.Select(r => r.Path!));
    }

    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName == LiteralPathSet;
        foreach (var file in InputPathResolver.ResolveAll(this, literal ? LiteralPath : Path, literal, () => _anyPathFailed = true))
        {
            if (_seen.Add(file))
                _inputs.Add(file);
        }
    }

    protected override void EndProcessing()
    {
        if (_inputs.Count == 0 && !_anyPathFailed)
        {
            // -Path E:\enhanced after a run that mirrored its folders: the cause is where the images are, not their
            // names, which the warning about references no input was compared with would blame.
            WriteWarning(InputPathResolver.NoInputWarning("Measure-Swin2SRQuality", "nothing was measured"));
            return;
        }
        string activity = $"Measuring {_inputs.Count} image(s) against {Reference}";
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < _inputs.Count; i++)
        {
            if (_stopping)
                throw new PipelineStoppedException();
            string input = _inputs[i];
            WriteProgress(Progress(activity, i, input, clock.Elapsed));
            var match = _references!.Match(input);
            if (match.Warning is not null)
                WriteWarning(match.Warning);
            if (match.Error is not null)
                WriteError(match.Error);
            if (match.Reference is null)
                continue;
            var result = _measurement!.Measure(match.Reference, input, out var failure);
            if (failure is not null)
                WriteError(failure);
            else
                WriteObject(result);
        }
        WriteProgress(new ProgressRecord(_progressId, activity, "Done") { RecordType = ProgressRecordType.Completed });
        if (_references!.Unused() is { } unused)
        {
            WriteWarning(unused.Warning);
            foreach (var line in unused.Details)
                WriteVerbose(line);
        }
    }

    protected override void StopProcessing() => _stopping = true;

    private ProgressRecord Progress(string activity, int done, string current, TimeSpan elapsed)
    {
        var record = new ProgressRecord(_progressId, activity, $"{done} of {_inputs.Count}: {System.IO.Path.GetFileName(current)}")
        {
            PercentComplete = 100 * done / _inputs.Count,
        };
        if (done > 0)
            record.SecondsRemaining = ProgressTime.Seconds(elapsed.TotalSeconds / done * (_inputs.Count - done));
        return record;
    }
}
