using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.ML.OnnxRuntime;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Tiling;

namespace Swin2SR.Core.Pipeline;

/// <summary>
/// One run: decode -> tile -> batched inference -> stitch -> encode, each stage on its own threads and joined
/// by bounded channels, so the model never waits for files and memory does not grow with the input count.
/// Results arrive on <see cref="Results"/> in completion order; every item is reported exactly once.
/// </summary>
public sealed class UpscalePipeline
{
    private readonly TileModel _model;
    private readonly UpscaleOptions _options;
    private readonly TileGeometry _geometry;
    private readonly ImageLoader _loader;
    private readonly ImageWriter _writer;
    private readonly SemaphoreSlim _inFlight;
    private readonly Channel<UpscaleItem> _items = Channel.CreateUnbounded<UpscaleItem>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly Channel<TileWork> _tiles;
    private readonly Channel<ImageWork> _stitched;
    private readonly Channel<UpscaleResult> _results = Channel.CreateUnbounded<UpscaleResult>(new UnboundedChannelOptions { SingleReader = true });

    private UpscalePipeline(TileModel model, UpscaleOptions options)
    {
        _model = model;
        _options = options;
        _geometry = TileGeometry.Resolve(options, model.Contract);
        _loader = new ImageLoader(options.Limits);
        _writer = new ImageWriter(options.Quality);
        _inFlight = new SemaphoreSlim(options.MaxImagesInFlight);
        _tiles = Channel.CreateBounded<TileWork>(new BoundedChannelOptions(Math.Max(2 * options.BatchSize, 8)) { SingleReader = true });
        _stitched = Channel.CreateBounded<ImageWork>(new BoundedChannelOptions(options.MaxImagesInFlight) { SingleReader = false });
    }

    public ChannelReader<UpscaleResult> Results => _results.Reader;

    /// <summary>Completes when every stage has stopped; faults only on a bug or a broken setup, never on a bad image.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public TileGeometry Geometry => _geometry;

    public static UpscalePipeline Start(TileModel model, IReadOnlyList<UpscaleItem> items, UpscaleOptions options, CancellationToken cancellation)
    {
        var pipeline = new UpscalePipeline(model, options);
        pipeline.Completion = pipeline.RunAsync(items, cancellation);
        return pipeline;
    }

    private async Task RunAsync(IReadOnlyList<UpscaleItem> items, CancellationToken cancellation)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using var terminate = stop.Token.Register(_model.Terminate);
        try
        {
            foreach (var item in items)
            {
                if (!_options.Force && File.Exists(item.OutputPath))
                    Report(Skipped(item));
                else
                    _items.Writer.TryWrite(item);
            }
            _items.Writer.Complete();

            var decoders = StartStage(_options.IoThreads, () => DecodeAsync(stop.Token), _tiles.Writer, stop);
            var inference = StartStage(1, () => InferAsync(stop.Token), _stitched.Writer, stop, decoders);
            var encoders = StartStage<UpscaleResult>(_options.IoThreads, () => EncodeAsync(stop.Token), null, stop, inference);
            await encoders.ConfigureAwait(false);
            _results.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _results.Writer.TryComplete(e);
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="workers"/> copies of a stage after <paramref name="upstream"/> is running; completes the
    /// stage's output channel when all have finished, and on a fault stops the whole run.
    /// </summary>
    private static async Task StartStage<T>(int workers, Func<Task> work, ChannelWriter<T>? output, CancellationTokenSource stop, Task? upstream = null)
    {
        var tasks = Enumerable.Range(0, workers).Select(_ => Task.Run(work)).ToList();
        if (upstream is not null)
            tasks.Add(upstream);
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
            output?.TryComplete();
        }
        catch (Exception e)
        {
            output?.TryComplete(e);
            stop.Cancel();
            throw;
        }
    }

    private async Task DecodeAsync(CancellationToken cancellation)
    {
        await foreach (var item in _items.Reader.ReadAllAsync(cancellation).ConfigureAwait(false))
        {
            await _inFlight.WaitAsync(cancellation).ConfigureAwait(false);
            long started = Stopwatch.GetTimestamp();
            ImageWork work;
            try
            {
                var loaded = _loader.Load(item.InputPath, _model.Scale);
                var plan = new TilePlan(loaded.Pixels.Width, loaded.Pixels.Height, _geometry.TileSize, _geometry.Overlap, _model.Scale);
                work = new ImageWork(item, loaded.Pixels, plan, started);
            }
            catch (ImageInputException e)
            {
                _inFlight.Release();
                Report(Failed(item, e, started));
                continue;
            }
            for (int i = 0; i < work.Plan.Count; i++)
                await _tiles.Writer.WriteAsync(new TileWork(work, i), cancellation).ConfigureAwait(false);
        }
    }

    private async Task InferAsync(CancellationToken cancellation)
    {
        int batchSize = _model.Contract.FixedBatch ?? _options.BatchSize;
        int tile = _geometry.TileSize;
        int inTileLength = 3 * tile * tile;
        int outTileLength = inTileLength * _model.Scale * _model.Scale;
        var input = new float[batchSize * inTileLength];
        var output = new float[batchSize * outTileLength];
        var batch = new List<TileWork>(batchSize);
        var reader = _tiles.Reader;
        while (await reader.WaitToReadAsync(cancellation).ConfigureAwait(false))
        {
            // Take what is ready, up to a full batch: waiting for more could stall on images held in flight.
            batch.Clear();
            while (batch.Count < batchSize && reader.TryRead(out var next))
            {
                if (!next.Image.Failed)
                    batch.Add(next);
            }
            if (batch.Count == 0)
                continue;
            for (int k = 0; k < batch.Count; k++)
            {
                var (work, index) = batch[k];
                TileReader.Read(work.Input!, work.Plan, index, input.AsSpan(k * inTileLength, inTileLength));
            }
            try
            {
                _model.Run(input, output, _model.Contract.FixedBatch ?? batch.Count, tile);
            }
            catch (OnnxRuntimeException e) when (!cancellation.IsCancellationRequested)
            {
                FailBatch(batch, e);
                continue;
            }
            cancellation.ThrowIfCancellationRequested();
            for (int k = 0; k < batch.Count; k++)
            {
                var (work, index) = batch[k];
                if (work.Canvas.Add(index, output.AsSpan(k * outTileLength, outTileLength)))
                {
                    work.Input = null;
                    await _stitched.Writer.WriteAsync(work, cancellation).ConfigureAwait(false);
                }
            }
        }
    }

    private void FailBatch(List<TileWork> batch, OnnxRuntimeException e)
    {
        foreach (var work in batch.Select(t => t.Image).Distinct())
        {
            work.Failed = true;
            _inFlight.Release();
            var error = new ImageInputException("InferenceFailed", ImageErrorKind.InferenceFailed, work.Item.InputPath, $"the model failed on this image ({e.Message})", e);
            Report(Failed(work.Item, error, work.StartedAt));
        }
    }

    private async Task EncodeAsync(CancellationToken cancellation)
    {
        await foreach (var work in _stitched.Reader.ReadAllAsync(cancellation).ConfigureAwait(false))
        {
            try
            {
                _writer.Write(work.Canvas.Output, work.Item.OutputFormat, work.Item.OutputPath, cancellation);
                Report(Succeeded(work));
            }
            catch (ImageInputException e)
            {
                Report(Failed(work.Item, e, work.StartedAt));
            }
            finally
            {
                _inFlight.Release();
            }
        }
    }

    private void Report(UpscaleResult result) => _results.Writer.TryWrite(result);

    private string ModelName => Path.GetFileNameWithoutExtension(_model.Path);

    private UpscaleResult Succeeded(ImageWork work) => new(
        work.Item, UpscaleStatus.Succeeded, work.InputWidth, work.InputHeight,
        work.Canvas.Output.Width, work.Canvas.Output.Height, _model.Scale, ModelName, Stopwatch.GetElapsedTime(work.StartedAt), null);

    private UpscaleResult Failed(UpscaleItem item, ImageInputException e, long started) => new(
        item, UpscaleStatus.Failed, 0, 0, 0, 0, _model.Scale, ModelName, Stopwatch.GetElapsedTime(started),
        new UpscaleError(e.ErrorId, e.Kind, e.Message, e));

    private UpscaleResult Skipped(UpscaleItem item)
    {
        int width = 0, height = 0;
        try
        {
            (width, height, _) = _loader.Identify(item.InputPath, _model.Scale);
        }
        catch (ImageInputException)
        {
            // A skipped input is not decoded; its size is informative only.
        }
        var message = $"{item.OutputPath} already exists (use -Force to overwrite)";
        return new(item, UpscaleStatus.Skipped, width, height, width * _model.Scale, height * _model.Scale, _model.Scale, ModelName, TimeSpan.Zero,
            new UpscaleError("OutputExists", ImageErrorKind.WriteFailed, message, null));
    }
}
