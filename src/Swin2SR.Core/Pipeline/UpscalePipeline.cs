using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.CpuMemory;
using Swin2SR.Core.Inference.Devices;
using Swin2SR.Core.Quality;
using Swin2SR.Core.Tiling;

namespace Swin2SR.Core.Pipeline;

/// <summary>
/// One run: decode -> tile -> batched inference on every device -> stitch -> encode, each stage on its own threads
/// and joined by bounded channels, so the devices never wait for files and memory does not grow with the input
/// count. Results arrive on <see cref="Results"/> in completion order; every item is reported exactly once,
/// but for one that a job's begin check refuses (another worker took it).
/// </summary>
public sealed class UpscalePipeline : IWorkerHost
{
    private readonly IReadOnlyList<ITileRunner> _devices;
    private readonly UpscaleOptions _options;
    private readonly TileGeometry _geometry;
    private readonly IReadOnlyList<int> _tileSizes;
    private readonly bool _cpuOnly;
    private readonly int _scale;
    private readonly int _window;
    private readonly int _edgeContext;
    private readonly string _modelName;
    private readonly ImageLoader _loader;
    private readonly ImageWriter _writer;
    private readonly RejectedOutputs _rejected;
    private readonly SemaphoreSlim _inFlight;
    private readonly MemoryBudget _memory;
    private readonly ChannelReader<UpscaleItem> _items;
    private readonly Func<UpscaleItem, bool>? _begin;
    private readonly OutputOwners _outputOwners = new();
    private readonly LeftTemporaryFiles _leftTemporaryFiles = new();
    // Unbounded: the in-flight limit bounds what it can hold. Besides new images' tiles it takes those of a failed
    // device and of images redone after the quality gate, so it completes only when decoding has finished and no
    // image is left in flight.
    private readonly Channel<TileWork> _tiles = Channel.CreateUnbounded<TileWork>();
    private readonly Channel<ImageWork> _stitched;
    private readonly Channel<UpscaleResult> _results = Channel.CreateUnbounded<UpscaleResult>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentQueue<string> _notes = new();
    private readonly ConcurrentQueue<string> _details = new();
    // The lanes of one device learn the same things (a batch size, a smaller batch after out-of-memory): said once.
    private readonly ConcurrentDictionary<string, bool> _said = new();
    private readonly Precision _precision;
    private readonly bool _halfOnly;
    private readonly ImageProgress _progress = new();
    private readonly IReadOnlyList<ITileRunner> _workers;
    private readonly int _encoders;
    private long _computedPixels;
    private long _imagePixels;
    private int _liveWorkers;
    private int _imagesInFlight;
    private volatile bool _decodingFinished;

    private UpscalePipeline(IReadOnlyList<ITileRunner> devices, ChannelReader<UpscaleItem> items, UpscaleOptions options, Func<UpscaleItem, bool>? begin)
    {
        if (devices.Count == 0)
            throw new ArgumentException("At least one device is needed.", nameof(devices));
        // On a small machine the default tile's activations would leave images no memory: the CPU's tile shrinks.
        var asked = options;
        options = CpuBatchMemory.WithTileThatFits(devices, options);
        _devices = devices;
        _items = items;
        _begin = begin;
        _options = options;
        var contract = devices[0].Contract;
        _scale = contract.Scale;
        // A model with a fixed input size is fed whole tiles of that size: there is no window grid to keep, and no
        // edge context either (its window is unknown, and an image of exactly its size would take 2x2 tiles).
        _window = contract.FixedSize is null ? contract.Window : 1;
        _edgeContext = contract.FixedSize is null ? TileAxis.EdgeContext : 0;
        _modelName = Path.GetFileNameWithoutExtension(devices[0].Path);
        _geometry = TileGeometry.Resolve(options, contract);
        // On CPUs alone a shape costs nothing to add: every multiple of the window, and each side chosen on its own.
        _cpuOnly = devices.All(d => d.Kind == DeviceKind.Cpu);
        _tileSizes = contract.FixedSize is { } fixedSize ? [fixedSize]
            : _cpuOnly ? TileSizeChooser.EveryWindowMultiple(_geometry.TileSize, contract.Window)
            : TileSizeChooser.Candidates(_geometry.TileSize, contract.Window);
        // An image may have what the model's CPU workers leave of the process's memory, not all of it.
        _loader = new ImageLoader(options.Limits with { ModelBytes = CpuBatchMemory.HeldByWorkers(devices, options) });
        _writer = new ImageWriter(options.Quality);
        _rejected = new RejectedOutputs(_writer, options.KeepRejectedDirectory);
        // A worker per lane: a GPU has one, the CPU one per core it runs tiles on.
        _workers = devices.SelectMany(d => Enumerable.Repeat(d, d.Lanes)).ToList();
        _encoders = StageSizes.Encoders(devices, options.IoThreads, Environment.ProcessorCount);
        int inFlight = StageSizes.ImagesInFlight(options.MaxImagesInFlight, _workers.Count, _encoders);
        string devicesUsed = string.Join(", ", devices.Select(d => d.Lanes > 1 ? $"{d.Device} ({d.Lanes} workers, a core each)" : d.Device));
        _details.Enqueue($"Running on {devicesUsed}; {options.IoThreads} decoders, {_encoders} encoders, up to {inFlight} images in flight.");
        if (options.TileSize != asked.TileSize)
            _details.Enqueue($"Tiles of at most {options.TileSize} (not {TileGeometry.Resolve(asked, contract).TileSize}): smaller tiles leave images room in the {options.Limits.MemoryBytes / (1 << 20)} MB this process may use (-TileSize sets the size).");
        if (devices.Any(d => d.Kind == DeviceKind.Cpu))
            _details.Enqueue(HugePageAllocator.TryEnable(out string? why)
                ? "CPU tensors on transparent huge pages, reused from tile to tile."
                : $"CPU tensors on ONNX Runtime's arena: {why}.");
        _inFlight = new SemaphoreSlim(inFlight);
        // Each decoder takes its next item before it waits for room in flight.
        ItemsHeld = inFlight + options.IoThreads;
        _memory = new MemoryBudget(options.MaxBytesInFlight);
        // Fp16 only where every device runs it: an image's tiles may go to any device.
        _precision = devices.All(d => d.Precision == Precision.Fp16) ? Precision.Fp16 : Precision.Fp32;
        _halfOnly = contract.ComputesInHalf;
        if (_halfOnly)
            _details.Enqueue($"{_modelName} takes or gives float16 (an fp16 conversion without keep_io_types): it computes in fp16, and an image whose output fails the quality gate cannot be redone in fp32.");
        _stitched = Channel.CreateBounded<ImageWork>(new BoundedChannelOptions(inFlight));
    }

    public ChannelReader<UpscaleResult> Results => _results.Reader;

    /// <summary>The images in flight, each counted as the share of its tiles done: how far the run is inside them.</summary>
    public double ImagesInFlight => _progress.ImagesInFlight;

    /// <summary>The input bytes of the images in flight, each counted by the share of its tiles done.</summary>
    public double BytesInFlight => _progress.BytesInFlight;

    /// <summary>The input files of the images being upscaled, the one begun first first.</summary>
    public IReadOnlyList<string> InputsInFlight => _progress.InputPaths;

    /// <summary>How many items the run takes from its input before it waits for one to leave.</summary>
    public int ItemsHeld { get; }

    /// <summary>Completes when every stage has stopped; faults only on a bug or a broken setup, never on a bad image.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>What the scheduler had to adapt (smaller batches or tiles, a failed device), for the log.</summary>
    public bool TryTakeNote(out string note) => _notes.TryDequeue(out note!);

    /// <summary>What is worth a verbose line: the batch sizes chosen, the share of tiling overhead at the end.</summary>
    public bool TryTakeDetail(out string detail) => _details.TryDequeue(out detail!);

    /// <summary>The share of computed pixels that were padding, edge context or overlap rather than image: the cost of tiling.</summary>
    public double TilingOverhead
    {
        get
        {
            long computed = Interlocked.Read(ref _computedPixels);
            return computed == 0 ? 0 : 1 - (double)Interlocked.Read(ref _imagePixels) / computed;
        }
    }

    /// <summary>Starts a run over items that arrive on <paramref name="items"/> (claimed from a job as capacity frees up).</summary>
    /// <param name="begin">
    /// Asked as a decoder takes up each item, before anything is done with it: false drops the item unreported (a job's
    /// other worker has taken it over while it waited here).
    /// </param>
    public static UpscalePipeline Start(IReadOnlyList<ITileRunner> devices, ChannelReader<UpscaleItem> items, UpscaleOptions options, CancellationToken cancellation,
        Func<UpscaleItem, bool>? begin = null)
    {
        var pipeline = new UpscalePipeline(devices, items, options, begin);
        pipeline.Completion = pipeline.RunAsync(cancellation);
        return pipeline;
    }

    /// <summary>Starts a run over a fixed list of items.</summary>
    public static UpscalePipeline Start(IReadOnlyList<ITileRunner> devices, IReadOnlyList<UpscaleItem> items, UpscaleOptions options, CancellationToken cancellation)
    {
        var channel = Channel.CreateUnbounded<UpscaleItem>();
        foreach (var item in items)
            channel.Writer.TryWrite(item);
        channel.Writer.Complete();
        return Start(devices, channel.Reader, options, cancellation);
    }

    private async Task RunAsync(CancellationToken cancellation)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var terminations = _devices.Select(d => stop.Token.Register(d.Terminate)).ToList();
        _liveWorkers = _workers.Count;
        try
        {
            var decoders = StartStage<TileWork>(_options.IoThreads, _ => DecodeAsync(stop.Token), null, stop);
            _ = decoders.ContinueWith(t =>
            {
                if (t.IsFaulted)
                    _tiles.Writer.TryComplete(t.Exception);
                _decodingFinished = true;
                CompleteTilesWhenIdle();
            }, TaskScheduler.Default);
            var inference = StartStage(_workers.Count, i => OnOwnThread(() => Infer(_workers[i], stop.Token)), _stitched.Writer, stop, decoders);
            var encoders = StartStage<UpscaleResult>(_encoders, _ => EncodeAsync(stop.Token), null, stop, inference);
            await encoders.ConfigureAwait(false);
            if (Interlocked.Read(ref _computedPixels) > 0)
                _details.Enqueue($"Tiling overhead: {TilingOverhead * 100:0.0}% of the pixels the model computed were padding, edge context or tile overlap.");
            _results.Writer.TryComplete();
        }
        catch (Exception e)
        {
            // Once a stage fails the others stop with cancellations, and the first of those to surface must not
            // pass for the cause: a run that failed would end as if it had been stopped, silently. (Seen: an
            // exception that escaped the loader in a job's run came out as TaskCanceledException, and the job ended
            // "Interrupted" with every item pending and nothing said.)
            var failure = _firstFault ?? e;
            _results.Writer.TryComplete(failure);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
        finally
        {
            terminations.ForEach(t => t.Dispose());
        }
    }

    /// <summary>The first failure of a stage that was not a cancellation, kept so that it is what the run reports.</summary>
    private Exception? _firstFault;

    private void NoteFault(Exception? failure)
    {
        if (failure?.GetBaseException() is { } e and not OperationCanceledException)
            Interlocked.CompareExchange(ref _firstFault, e, null);
    }

    /// <summary>
    /// Runs <paramref name="workers"/> copies of a stage after <paramref name="upstream"/> is running; completes the
    /// stage's output channel when all have finished, and on a fault stops the whole run.
    /// </summary>
    private async Task StartStage<T>(int workers, Func<int, Task> work, ChannelWriter<T>? output, CancellationTokenSource stop, Task? upstream = null)
    {
        var tasks = Enumerable.Range(0, workers).Select(i => Task.Run(() => work(i))).ToList();
        // A fault stops the run at once: waiting for the other stages first could wait forever on a full channel.
        foreach (var task in tasks)
        {
            _ = task.ContinueWith(faulted =>
            {
                NoteFault(faulted.Exception);
                stop.Cancel();
            }, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        if (upstream is not null)
            tasks.Add(upstream);
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
            output?.TryComplete();
        }
        catch (Exception e)
        {
            // Noted before the cancel: the continuation above may not have run yet, and the cancellations this
            // causes must not be taken for the cause.
            NoteFault(e);
            output?.TryComplete(e);
            stop.Cancel();
            throw;
        }
    }

    /// <summary>
    /// The input is no longer there, and its folder is: deleted, not on a share that is not mounted here (another host's
    /// paths), where its output is still its own.
    /// </summary>
    private static bool InputGone(string inputPath) =>
        !File.Exists(inputPath) && !Directory.Exists(inputPath) && Directory.Exists(Path.GetDirectoryName(inputPath));

    private async Task DecodeAsync(CancellationToken cancellation)
    {
        await foreach (var listed in _items.ReadAllAsync(cancellation).ConfigureAwait(false))
        {
            var item = listed;
            if (_begin is not null && !_begin(item))
                continue;
            // An input of this job that was deleted (photo.jpg, re-exported as photo.png, with -Format Webp) leaves its output to
            // the input that replaced it: failing as OutputCollision, and then left failed as unchanged, the new photo was never done.
            if (item.OutputOwner is { } gone && item.OutputOwnerJob is null && InputGone(gone))
                item = item with { MayOverwrite = true, OutputOwner = null };
            // Another job's output is in the way only while it is there: its job may have been run into another folder since.
            if (item.OutputOwner is { } owner && (item.OutputOwnerJob is null || File.Exists(item.OutputPath)))
            {
                Report(Failed(item, item.OutputOwnerJob is { } otherJob
                    ? OutputFailure.WrittenByAnotherJob(item.OutputPath, owner, otherJob)
                    : OutputFailure.WrittenForAnother(item.OutputPath, owner, item.InputPath), TimeSpan.Zero));
                continue;
            }
            if (!_outputOwners.TryClaim(item))
            {
                Report(Failed(item, OutputFailure.SharedInRun(item.OutputPath, item.InputPath), TimeSpan.Zero));
                continue;
            }
            // Before the skip: an input reached through a link to the output folder is no earlier output, and -Force would replace it.
            if (SpecialFiles.WouldReplace(item.InputPath, item.OutputPath))
            {
                Report(Failed(item, OutputFailure.IsTheInput(item.InputPath, item.OutputPath), TimeSpan.Zero));
                continue;
            }
            if (!(item.MayOverwrite || _options.Force) && File.Exists(item.OutputPath))
            {
                Report(Skipped(item));
                continue;
            }
            // A worker killed mid-write leaves its hidden temp file; whoever owns the item now clears it.
            _leftTemporaryFiles.RemoveFor(item.OutputPath, listAgain: item.Interrupted);
            await _inFlight.WaitAsync(cancellation).ConfigureAwait(false);
            Interlocked.Increment(ref _imagesInFlight);
            var spent = new WorkTime();
            long started = Stopwatch.GetTimestamp();
            long reserved = 0, fileBytes = 0;
            ImageWork work;
            try
            {
                // An output that cannot exist on this platform fails before the costly part.
                ImageWriter.CheckPath(item.OutputPath);
                byte[] data = _loader.Read(item.InputPath, _scale, out var version);
                // Its outcome, whatever it is, is of the version read.
                item = item with { ReadAs = version };
                fileBytes = data.Length;
                var header = _loader.Identify(data, item.InputPath, _scale);
                ImageWriter.CheckSize(item.OutputFormat, header.Width * _scale, header.Height * _scale, item.InputPath);
                // The file's bytes count with its image: a file far larger than its pixels (1.5 GB of data after a
                // small PNG's end, a huge uncompressed TIFF) is held until decoded, and 12 such PNGs peaked at 18.7 GB,
                // growing with their number.
                // So does a tiled TIFF's copy laid out in strips, the file again and its page uncompressed.
                reserved = MemoryBudget.ImageBytes(header.Width, header.Height, _scale) + fileBytes + header.LaidOutBytes;
                // Waiting for room in memory, behind other images, is no work on this one.
                spent.AddSince(started);
                await _memory.WaitAsync(reserved, cancellation).ConfigureAwait(false);
                started = Stopwatch.GetTimestamp();
                var loaded = _loader.Decode(data, item.InputPath, header);
                ImageWriter.CheckTiffSize(item.OutputFormat, loaded.Traits, loaded.Pixels.Width * _scale, loaded.Pixels.Height * _scale, item.InputPath);
                var pixels = loaded.Pixels;
                var tile = _cpuOnly
                    ? TileSizeChooser.ChooseEachSide(pixels.Width, pixels.Height, _tileSizes, _geometry.Overlap, _window, _edgeContext)
                    : TileSizeChooser.ChooseSquare(pixels.Width, pixels.Height, _tileSizes, _geometry.Overlap, _window, _edgeContext);
                var plan = new TilePlan(pixels.Width, pixels.Height, tile, _geometry.Overlap, _scale, _window, _edgeContext);
                work = new ImageWork(item, pixels, plan, spent, _precision) { Source = loaded, ReservedBytes = reserved };
                if (loaded.Alpha is not null && _options.AlphaMode == AlphaMode.Model)
                    work.AddAlphaPart(FinishedImage.GrayPlanes(loaded.Alpha, pixels.Width, pixels.Height));
                spent.AddSince(started);
                _progress.Started(work);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Anything the loader did not foresee fails this image, not the run.
                spent.AddSince(started);
                ReleaseImage(reserved, null, garbageBytes: fileBytes);
                Report(Failed(item, e as ImageInputException ?? Unforeseen("InputUnreadable", ImageErrorKind.InvalidData, item.InputPath, "it could not be read", e), spent.Total));
                continue;
            }
            foreach (var tile in work.AlphaPart is { } alpha ? work.Tiles().Concat(alpha.Tiles()) : work.Tiles())
                await _tiles.Writer.WriteAsync(tile, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One worker of a device. If the device itself fails (not the model, not memory), the worker's tiles go to the
    /// other workers; when it was the last one, the images it held fail instead of being lost.
    /// </summary>
    private void Infer(ITileRunner device, CancellationToken cancellation)
    {
        var worker = new DeviceWorker(device, this, _options.BatchSize, _geometry.Overlap, _tileSizes);
        try
        {
            worker.Run(_tiles.Reader, cancellation);
            Interlocked.Decrement(ref _liveWorkers);
        }
        catch (DeviceFailedException e)
        {
            bool others = Interlocked.Decrement(ref _liveWorkers) > 0;
            Note($"{device.Device} failed ({e.InnerException?.Message}); " + (others ? "its tiles go to the other workers." : "no device is left."));
            foreach (var tile in e.Unfinished.Where(t => !t.IsStale))
            {
                if (others)
                    _tiles.Writer.TryWrite(tile);
                else
                    Failed(tile.Image, "DeviceFailed", $"every device failed ({e.InnerException?.Message})", e);
            }
            if (!others)
                throw;
        }
    }

    /// <summary>
    /// The input stays until the encoder has checked the output against it; an alpha part waits for its image. The
    /// tiling overhead counts each part (and each pass of a redone one) as its last tile comes: an image that fails
    /// before then has computed only some of its tiles, against all of its pixels.
    /// </summary>
    void IWorkerHost.Completed(ImageWork work, CancellationToken cancellation)
    {
        Interlocked.Add(ref _imagePixels, (long)work.InputWidth * work.InputHeight);
        Interlocked.Add(ref _computedPixels, work.Plan.ComputedPixels);
        if (work.CompletePart() && !_stitched.Writer.TryWrite(work.Whole))
            _stitched.Writer.WriteAsync(work.Whole, cancellation).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Work that blocks a thread for its whole life (a device worker) gets a thread of its own, off the pool.</summary>
    private static Task OnOwnThread(Action work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    void IWorkerHost.Failed(ImageWork work, string errorId, string reason, Exception e) => Failed(work, errorId, reason, e);

    private void Failed(ImageWork part, string errorId, string reason, Exception e)
    {
        var work = part.Whole;
        lock (work)
        {
            if (work.Failed)
                return;
            work.Failed = true;
            work.AlphaPart?.Failed = true;
        }
        ReleaseImage(work.ReservedBytes, work);
        var error = new ImageInputException(errorId, ImageErrorKind.InferenceFailed, work.Item.InputPath, reason, e);
        Report(Failed(work, error));
    }

    /// <summary>An image has left the pipeline (written, rejected or failed): room for the next.</summary>
    /// <param name="garbageBytes">What the image left for the collector beyond its reservation: a file read but not admitted.</param>
    private void ReleaseImage(long reservedBytes, ImageWork? work, long garbageBytes = 0)
    {
        if (work is not null)
        {
            _progress.Left(work);
            work.LetGoOfPixels();
        }
        // A large image leaves hundreds of megabytes of arrays that only a full collection frees, and at the
        // collector's own pace they pile up: 8 images of 6144x4096 outputs, one at a time, peaked at 2.1 GiB, and
        // at 0.9 GiB (and ran faster, on memory already touched) with a collection after each. The image lets go of
        // its pixels first (what still refers to it cannot keep them), and the collection is made before the next
        // image is let in: two 6000x4000 JPEGs upscaled x2 one after the other peaked at 3.5 GiB, one alone at 2.1
        // GiB, when the first one's output canvas outlived the collection and the second was decoded beside it.
        if (_memory.IsLarge(Math.Max(reservedBytes, garbageBytes)))
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
        _memory.Release(reservedBytes);
        _inFlight.Release();
        if (Interlocked.Decrement(ref _imagesInFlight) == 0)
            CompleteTilesWhenIdle();
    }

    /// <summary>No more tiles can come once decoding has finished and every image has left: the devices may stop.</summary>
    private void CompleteTilesWhenIdle()
    {
        if (_decodingFinished && Volatile.Read(ref _imagesInFlight) == 0)
            _tiles.Writer.TryComplete();
    }

    void IWorkerHost.Note(string message) => Note(message);

    void IWorkerHost.Detail(string message)
    {
        if (_said.TryAdd(message, true))
            _details.Enqueue(message);
    }

    private void Note(string message)
    {
        if (_said.TryAdd(message, true))
            _notes.Enqueue(message);
    }


    private async Task EncodeAsync(CancellationToken cancellation)
    {
        await foreach (var work in _stitched.Reader.ReadAllAsync(cancellation).ConfigureAwait(false))
        {
            if (Finish(work, cancellation))
                ReleaseImage(work.ReservedBytes, work);
        }
    }

    /// <summary>
    /// Writes a stitched image, or rejects it; false when it was sent to be redone instead. A method of its own, not
    /// inlined: the finished image it makes holds the output, and as a local of the encoding loop it outlived the
    /// collection that follows a large image (a frame with a handler may keep its locals until it returns).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private bool Finish(ImageWork work, CancellationToken cancellation)
    {
        QualityMetrics? metrics = null;
        long started = Stopwatch.GetTimestamp();
        try
        {
            var finished = FinishedImage.From(work, _scale, _options.KeepPrintSize);
            metrics = finished.Metrics;
            if (QualityGate.FindFailure(finished.Metrics, _options.MinConsistencyPsnr) is { } failure)
            {
                // Charged before a redo sends its tiles out: the redone image may be reported before this thread goes on.
                started = work.Spent.AddSince(started);
                if (TryRedo(work, failure))
                    return false;
                throw _rejected.Reject(finished.Image, work.Item, failure + Redone(work), cancellation);
            }
            _writer.Write(finished.Image, work.Item.OutputFormat, work.Item.OutputPath, cancellation, replaceExisting: work.Item.MayOverwrite || _options.Force);
            work.Spent.AddSince(started);
            Report(Succeeded(work, finished));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            work.Spent.AddSince(started);
            Report(Failed(work, e as ImageInputException ?? Unforeseen("OutputWriteFailed", ImageErrorKind.WriteFailed, work.Item.OutputPath, "the output could not be made", e), metrics));
        }
        return true;
    }

    /// <summary>Runs a rejected image again as the retry policy says; false when the policy has nothing left to try.</summary>
    private bool TryRedo(ImageWork work, string failure)
    {
        var plan = work.Plan;
        if (QualityRetry.Next(work.Precision, plan.SeamedSide, plan.Overlap, plan.Count, work.OverlapWidened, _window, _halfOnly) is not { } redo)
            return false;
        work.Redos.Add((redo.Change, failure));
        foreach (var tile in work.Redo(redo.Overlap, redo.Precision))
            _tiles.Writer.TryWrite(tile);
        return true;
    }

    private static string Redone(ImageWork work) => work.Redos.Count == 0 ? "" : $", also when {string.Join(" and ", work.Redos.Select(r => r.Change))}";

    private void Report(UpscaleResult result) => _results.Writer.TryWrite(result);

    /// <summary>Reports an item as failed without running it (the caller judged it not worth a try), with the others.</summary>
    public void ReportUnprocessed(UpscaleItem item, ImageInputException reason) => Report(Failed(item, reason, TimeSpan.Zero));

    private UpscaleResult Succeeded(ImageWork work, FinishedImage finished) => new(
        work.Item, UpscaleStatus.Succeeded, work.InputWidth, work.InputHeight,
        work.Canvas.Output.Width, work.Canvas.Output.Height, _scale, _modelName, work.Spent.Total, null,
        finished.Metrics, finished.Warnings, work.Precision);

    private UpscaleResult Failed(UpscaleItem item, ImageInputException e, TimeSpan duration, QualityMetrics? metrics = null, int inputWidth = 0, int inputHeight = 0) => new(
        item, UpscaleStatus.Failed, inputWidth, inputHeight, 0, 0, _scale, _modelName, duration,
        new UpscaleError(e.ErrorId, e.Kind, e.Message, e), metrics);

    /// <summary>A failure no handler foresaw (a decoder's or our own surprise), as an error of this image alone, its type named.</summary>
    private static ImageInputException Unforeseen(string errorId, ImageErrorKind kind, string path, string what, Exception e) =>
        new(errorId, kind, path, $"{what} ({e.GetType().Name}: {e.Message})", e);

    /// <summary>An image that failed after it was decoded: its size is known, and reported with the failure.</summary>
    private UpscaleResult Failed(ImageWork work, ImageInputException e, QualityMetrics? metrics = null) =>
        Failed(work.Item, e, work.Spent.Total, metrics, work.InputWidth, work.InputHeight);

    /// <summary>The largest input whose size a Skipped result reports (a photo's is far less); a larger one's is unknown.</summary>
    private const long MaxBytesReadToSkip = 32 << 20;

    private UpscaleResult Skipped(UpscaleItem item)
    {
        int width = 0, height = 0;
        try
        {
            // A skipped input is not decoded; its size is informative only, and not worth reading a large file for:
            // a re-run over a folder of scans whose outputs exist read each of them whole again (1.5 GB each) to skip it.
            if (new FileInfo(item.InputPath).Length <= MaxBytesReadToSkip)
                (width, height, _) = _loader.Identify(item.InputPath, _scale);
        }
        catch (Exception e) when (e is ImageInputException or IOException or UnauthorizedAccessException or ArgumentException)
        {
        }
        var message = $"{item.OutputPath} already exists (use -Force to overwrite)";
        return new(item, UpscaleStatus.Skipped, width, height, width * _scale, height * _scale, _scale, _modelName, TimeSpan.Zero,
            new UpscaleError("OutputExists", ImageErrorKind.WriteFailed, message, null));
    }
}
