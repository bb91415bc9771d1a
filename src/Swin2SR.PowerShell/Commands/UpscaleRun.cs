using System.Management.Automation;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Models;
using Swin2SR.Core.Pipeline;
using Swin2SR.PowerShell.Hosting;

namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// The bridge between the cmdlet and the engine: all engine types stay inside this class, so the cmdlet's
/// public surface (loaded in PowerShell's context) never names a type from the module's private context.
/// Everything it hands back to the cmdlet is a PowerShell-side object, and it is called on the pipeline thread only.
/// </summary>
internal sealed class UpscaleRun : IDisposable
{
    private readonly TileModel _model;
    private readonly UpscalePipeline _pipeline;
    private readonly CancellationTokenSource _cancellation;

    private UpscaleRun(TileModel model, UpscalePipeline pipeline, CancellationTokenSource cancellation, int total)
    {
        _model = model;
        _pipeline = pipeline;
        _cancellation = cancellation;
        Total = total;
    }

    public int Total { get; }
    public string ModelName => Path.GetFileNameWithoutExtension(_model.Path);

    private static ModelLocator Locator => new(Path.Combine(ModuleInitializer.ModuleDirectory, "models"));

    public static IReadOnlyList<string> ModelNames() => Locator.EmbeddedNames();

    public static string ResolveModel(string? model, int? scale)
    {
        try
        {
            return Locator.Resolve(model, scale);
        }
        catch (ModelLoadException e)
        {
            throw new SetupFailedException(new ErrorRecord(e, "ModelNotFound", ErrorCategory.ObjectNotFound, model));
        }
    }

    public static IReadOnlyList<(string Input, string Output)> Plan(IEnumerable<string> inputs, string? outputDirectory, string format) =>
        OutputPlanner.Plan(inputs, outputDirectory, Enum.Parse<OutputFormat>(format, ignoreCase: true))
            .Select(i => (i.InputPath, i.OutputPath)).ToList();

    public static UpscaleRun Start(string modelPath, IReadOnlyList<string> inputs, string? outputDirectory, UpscaleSettings settings)
    {
        var items = OutputPlanner.Plan(inputs, outputDirectory, Enum.Parse<OutputFormat>(settings.Format, ignoreCase: true));
        var options = new UpscaleOptions
        {
            TileSize = settings.TileSize,
            TileOverlap = settings.TileOverlap,
            BatchSize = settings.BatchSize,
            Quality = settings.Quality,
            Force = settings.Force,
        };
        TileModel model;
        try
        {
            model = TileModel.LoadCpu(modelPath, options.InferenceThreads);
        }
        catch (ModelLoadException e)
        {
            throw new SetupFailedException(new ErrorRecord(e, "ModelLoadFailed", ErrorCategory.InvalidData, modelPath));
        }
        var cancellation = new CancellationTokenSource();
        try
        {
            return new UpscaleRun(model, UpscalePipeline.Start(model, items, options, cancellation.Token), cancellation, items.Count);
        }
        catch (ArgumentException e)
        {
            model.Dispose();
            cancellation.Dispose();
            throw new SetupFailedException(new ErrorRecord(e, "InvalidTiling", ErrorCategory.InvalidArgument, null));
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the next result; null when none came (or the run is over).</summary>
    public Swin2SRUpscaleResult? Next(TimeSpan timeout, out ErrorRecord? error)
    {
        error = null;
        var reader = _pipeline.Results;
        if (!reader.TryRead(out var result))
        {
            var waiting = reader.WaitToReadAsync().AsTask();
            if (!waiting.Wait(timeout) || !reader.TryRead(out result))
                return null;
        }
        var output = Convert(result);
        if (result.Status == UpscaleStatus.Failed && result.Error is { } e)
            error = new ErrorRecord(e.Exception ?? new InvalidOperationException(e.Message), e.ErrorId, Category(e.Kind), result.Item.InputPath)
            {
                ErrorDetails = new ErrorDetails(e.Message),
            };
        return output;
    }

    /// <summary>True once every result has been read; rethrows a setup failure of the engine.</summary>
    public bool IsComplete
    {
        get
        {
            if (!_pipeline.Results.Completion.IsCompleted || _pipeline.Results.TryPeek(out _))
                return false;
            if (_pipeline.Completion.IsFaulted && !_cancellation.IsCancellationRequested)
                _pipeline.Completion.GetAwaiter().GetResult();
            return true;
        }
    }

    public void Cancel() => _cancellation.Cancel();

    /// <summary>Waits for the workers to let go of their files after a cancel (temp files are removed by then).</summary>
    public void WaitForShutdown(TimeSpan timeout)
    {
        try
        {
            _pipeline.Completion.Wait(timeout);
        }
        catch (AggregateException)
        {
            // Cancellation surfaces here; the caller is already stopping.
        }
    }

    private Swin2SRUpscaleResult Convert(UpscaleResult r) => new()
    {
        InputPath = r.Item.InputPath,
        OutputPath = r.Item.OutputPath,
        Status = (Swin2SRItemStatus)(int)r.Status,
        InputWidth = r.InputWidth,
        InputHeight = r.InputHeight,
        OutputWidth = r.OutputWidth,
        OutputHeight = r.OutputHeight,
        Scale = r.Scale,
        Model = r.Model,
        Duration = r.Duration,
        ErrorId = r.Error?.ErrorId,
        Error = r.Error?.Message,
    };

    private static ErrorCategory Category(ImageErrorKind kind) => kind switch
    {
        ImageErrorKind.NotFound => ErrorCategory.ObjectNotFound,
        ImageErrorKind.NotSupported => ErrorCategory.InvalidType,
        ImageErrorKind.LimitExceeded => ErrorCategory.LimitsExceeded,
        ImageErrorKind.WriteFailed => ErrorCategory.WriteError,
        ImageErrorKind.InferenceFailed => ErrorCategory.InvalidResult,
        _ => ErrorCategory.InvalidData,
    };

    public void Dispose()
    {
        _cancellation.Cancel();
        WaitForShutdown(TimeSpan.FromSeconds(5));
        _model.Dispose();
        _cancellation.Dispose();
    }
}

/// <summary>The cmdlet's output-shaping parameters, handed to the engine as one value.</summary>
internal sealed record UpscaleSettings(string Format, int Quality, int TileSize, int TileOverlap, int BatchSize, bool Force);
