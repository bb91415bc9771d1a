using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.ML.OnnxRuntime;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Devices;
using Swin2SR.Core.Tiling;

namespace Swin2SR.Core.Pipeline;

/// <summary>
/// One device: pulls tiles of any images from the shared queue, packs those of one shape and precision into a
/// batch (sized per shape by a <see cref="BatchSizer"/> unless the batch size is fixed), runs it and stitches
/// the outputs. A faster device simply comes back for work more often. On out-of-memory it halves its batch and
/// retries the same tiles; at one tile per batch it cuts the image again with the next smaller tile size; only
/// below the smallest tile does the image fail. No tile is lost or stitched twice.
/// </summary>
internal sealed class DeviceWorker
{
    private readonly ITileRunner _runner;
    private readonly IWorkerHost _host;
    private readonly int _overlap;
    private readonly Dictionary<(TileShape Shape, Precision Precision), LinkedList<TileWork>> _stash = [];
    private readonly Dictionary<(TileShape Shape, Precision Precision), BatchSizer> _sizers = [];
    private readonly int? _fixedBatch;
    private readonly IReadOnlyList<int> _tileSizes;
    private int _stashed;
    private float[] _input = [];
    private float[] _output = [];

    /// <param name="batchSize">Tiles per batch; 0: found per shape from throughput and free memory.</param>
    /// <param name="tileSizes">The run's tile sizes, largest first: an image cut again after out-of-memory takes the next smaller one.</param>
    public DeviceWorker(ITileRunner runner, IWorkerHost host, int batchSize, int overlap, IReadOnlyList<int> tileSizes)
    {
        _tileSizes = tileSizes;
        _runner = runner;
        _host = host;
        _overlap = overlap;
        _fixedBatch = runner.Contract.FixedBatch ?? (batchSize > 0 ? batchSize : null);
    }

    /// <summary>The largest batch an automatic search tries on a device that reports its free memory (a GPU).</summary>
    public const int MaxAutomaticBatch = 256;

    /// <summary>
    /// The largest on the CPU: one tile, so no search. Each CPU lane runs on one core, where a batch gains nothing
    /// measurable (+0-1% per tile at 272x272 with the tiny x4 model, none beyond the noise at 64x64), while it
    /// doubles the activations a lane holds, and trying a size costs as much as choosing it: ONNX Runtime's CPU arena
    /// keeps the memory of the largest batch it ran. 24 photos of 256x256 peaked at 4.6-5.1 GB with batches of 2
    /// and at 2.7 GB with one tile, which was also faster (docs/benchmarks.md, "CPU: batch size and memory").
    /// -BatchSize still asks for more.
    /// </summary>
    public const int MaxAutomaticCpuBatch = 1;

    /// <summary>Why, for the verbose log: the CPU's batch is chosen by the kind of device, not found by a search.</summary>
    internal const string CpuBatchReason = "one tile at a time, as always on the CPU: larger batches were no faster per tile (measured with a " +
        "core per worker) and hold more memory (-BatchSize asks for more)";

    /// <summary>
    /// The largest on a GPU whose free memory cannot be read (no NVML, no nvidia-smi): a model cheap enough per tile
    /// to keep gaining from larger batches would otherwise grow them into gigabytes.
    /// </summary>
    public const int MaxAutomaticBatchWithoutMemoryReading = 8;

    /// <summary>
    /// Runs batches until no tile can come any more. It blocks (on the device, and while waiting for tiles), so it
    /// runs on a thread of its own: on the thread pool it would hold a thread the decoders and encoders need.
    /// </summary>
    /// <param name="tiles">Completes when no image is left that could need a tile run (again).</param>
    /// <exception cref="DeviceFailedException">The device failed; it carries every tile this worker held.</exception>
    public void Run(ChannelReader<TileWork> tiles, CancellationToken cancellation)
    {
        while (true)
        {
            if (_stashed == 0 && !tiles.WaitToReadAsync(cancellation).AsTask().GetAwaiter().GetResult())
                return;
            // Take what is ready (never wait for a full batch: that could stall on images held in flight), but
            // no more than two batches, so other workers get their share.
            int hold = HoldLimit();
            while (_stashed < hold && tiles.TryRead(out var next))
                Stash(next, last: true);
            var batch = TakeBatch();
            if (batch.Count == 0)
                continue;
            try
            {
                RunBatch(batch, cancellation);
            }
            // A model that cannot work (its stated scale is wrong) fails the run: every device would fail the same way.
            catch (Exception e) when (e is not (OperationCanceledException or DeviceFailedException or ModelLoadException) && !cancellation.IsCancellationRequested)
            {
                throw new DeviceFailedException(_runner.Device, [.. batch, .. _stash.Values.SelectMany(q => q)], e);
            }
        }
    }

    private void Stash(TileWork tile, bool last)
    {
        if (tile.IsStale)
            return;
        if (!_stash.TryGetValue(tile.BatchKey, out var queue))
            _stash[tile.BatchKey] = queue = new LinkedList<TileWork>();
        if (last)
            queue.AddLast(tile);
        else
            queue.AddFirst(tile);
        _stashed++;
    }

    /// <summary>The shape (and precision) with the most tiles waiting, up to the batch limit; stale tiles are dropped on the way.</summary>
    private List<TileWork> TakeBatch()
    {
        // Another worker may have taken the tile this one woke up for.
        if (_stashed == 0)
            return [];
        var (key, queue) = _stash.MaxBy(q => q.Value.Count);
        int limit = Sizer(key).Limit;
        var batch = new List<TileWork>(limit);
        while (batch.Count < limit && queue.First is { } first)
        {
            queue.RemoveFirst();
            _stashed--;
            if (!first.Value.IsStale)
                batch.Add(first.Value);
        }
        return batch;
    }

    private void RunBatch(List<TileWork> batch, CancellationToken cancellation)
    {
        long started = Stopwatch.GetTimestamp();
        List<ImageWork> completed;
        try
        {
            try
            {
                completed = RunAndStitch(batch, cancellation);
            }
            finally
            {
                // Whatever came of it (a batch that ran out of memory is tried again, one of a failed device runs
                // elsewhere), the time was spent on these tiles; and charged before this worker reports their images (another
                // worker stitching an image's last tile may report it before this share lands: a batch's worth at most).
                WorkTime.Share(batch.ConvertAll(t => t.Image.Spent), started);
            }
        }
        catch (DeviceOutOfMemoryException e)
        {
            BackOff(batch, e);
            return;
        }
        catch (OnnxRuntimeException e) when (!cancellation.IsCancellationRequested)
        {
            foreach (var work in batch.Select(t => t.Image).Distinct())
                _host.Failed(work, "InferenceFailed", $"the model failed on this image on {_runner.Device} ({e.Message})", e);
            return;
        }
        foreach (var work in completed)
            _host.Completed(work, cancellation);
    }

    /// <summary>Runs a batch and stitches its outputs; returns the images whose last tile it was (or their alpha parts).</summary>
    private List<ImageWork> RunAndStitch(List<TileWork> batch, CancellationToken cancellation)
    {
        var tile = batch[0].Shape;
        int inLength = (int)(3 * tile.Pixels);
        int scale = _runner.Contract.Scale;
        int outLength = inLength * scale * scale;
        int runBatch = _runner.Contract.FixedBatch ?? batch.Count;
        Ensure(ref _input, runBatch * inLength);
        Ensure(ref _output, runBatch * outLength);
        for (int k = 0; k < batch.Count; k++)
        {
            var t = batch[k];
            // An image that failed meanwhile on another worker has let go of its input: its tile is stale, and what
            // the model makes of the slot's old values is dropped with it.
            if (t.Image.Input is { } input)
                TileReader.Read(input, t.Plan, t.Index, _input.AsSpan(k * inLength, inLength));
        }
        var sizer = Sizer(batch[0].BatchKey);
        long? freeBefore = sizer.FreeBytesBeforeWarmUp();
        long started = Stopwatch.GetTimestamp();
        _runner.Run(_input, _output, runBatch, tile, batch[0].Precision);
        cancellation.ThrowIfCancellationRequested();
        Observe(sizer, batch[0].BatchKey, batch.Count, Stopwatch.GetElapsedTime(started).TotalSeconds, freeBefore);
        // Handed on by the caller, once the batch's time is charged: an encoder waiting for room blocks this
        // thread, and that wait is no image's work.
        var completed = new List<ImageWork>();
        for (int k = 0; k < batch.Count; k++)
        {
            var t = batch[k];
            if (!t.IsStale && t.Canvas.Add(t.Index, _output.AsSpan(k * outLength, outLength)) && !t.IsStale)
                completed.Add(t.Image);
        }
        return completed;
    }

    private void BackOff(List<TileWork> batch, DeviceOutOfMemoryException e)
    {
        var tile = batch[0].Shape;
        if (batch.Count > 1 && _runner.Contract.FixedBatch is null)
        {
            var sizer = Sizer(batch[0].BatchKey);
            sizer.OutOfMemory(batch.Count);
            _host.Note($"{_runner.Device}: out of memory with {batch.Count} tiles of {tile}; batch size now {sizer.Limit}.");
            for (int k = batch.Count - 1; k >= 0; k--)
                Stash(batch[k], last: false);
            return;
        }
        // The next size below the tile's longer side caps both sides: a square steps down as before, a rectangle
        // loses its longer side first (the shorter one may already be the least its image needs).
        int smaller = _tileSizes.FirstOrDefault(t => t < tile.Longer);
        foreach (var work in batch.Select(t => t.Image).Distinct())
        {
            if (_runner.Contract.FixedSize is not null || smaller == 0)
            {
                _host.Failed(work, "OutOfMemory", $"{_runner.Device} ran out of memory even for one {tile} tile", e);
                continue;
            }
            var smallerTile = tile.AtMost(smaller);
            _host.Note($"{_runner.Device}: out of memory with one {tile} tile; {Path.GetFileName(work.Item.InputPath)} is cut again into {smallerTile} tiles.");
            foreach (var t in work.Retile(smallerTile, _overlap))
                Stash(t, last: false);
        }
    }

    private BatchSizer Sizer((TileShape Shape, Precision Precision) key)
    {
        if (!_sizers.TryGetValue(key, out var sizer))
        {
            _sizers[key] = sizer = _fixedBatch is int batch ? BatchSizer.Fixed(batch) : Automatic(key.Shape);
        }
        return sizer;
    }

    private BatchSizer Automatic(TileShape shape)
    {
        if (_runner.Kind == DeviceKind.Cpu)
        {
            // Said once for the run (the host drops a message said before), not once per tile shape and worker.
            _host.Detail($"{_runner.Device}: {CpuBatchReason}.");
            return BatchSizer.Fixed(MaxAutomaticCpuBatch);
        }
        int largest = _runner.Memory() is null ? MaxAutomaticBatchWithoutMemoryReading : MaxAutomaticBatch;
        if (_runner.RunPixelLimit is long pixels)
            largest = (int)Math.Clamp(pixels / shape.Pixels, 1, largest);
        return new BatchSizer(largest, _runner.Memory);
    }

    /// <summary>Takes a batch's time into the sizer of its shape, and logs the size once it is chosen.</summary>
    private void Observe(BatchSizer sizer, (TileShape Shape, Precision Precision) key, int batch, double seconds, long? freeBefore)
    {
        if (sizer.Settled)
            return;
        sizer.Observe(batch, seconds, freeBefore);
        if (sizer.Settled)
            _host.Detail($"{_runner.Device}: batches of {sizer.Limit} tiles of {key.Shape} ({key.Precision}): {sizer.Reason}.");
    }

    /// <summary>
    /// Tiles to hold: two batches, so that one of a single shape can be packed from mixed shapes. A worker running
    /// one tile at a time (a CPU lane) has no batch to pack and holds one: a second tile held while it runs the
    /// first is one another lane, idle at the end of a run, cannot take (a second or more with a large model).
    /// </summary>
    private int HoldLimit()
    {
        int largest = LargestLimit();
        return largest == 1 ? 1 : 2 * largest;
    }

    /// <summary>The largest batch of any shape: how many tiles to hold so a full batch can be packed.</summary>
    private int LargestLimit() => _sizers.Count == 0 ? _fixedBatch ?? 1 : _sizers.Values.Max(s => s.Limit);

    private static void Ensure(ref float[] buffer, int length)
    {
        if (buffer.Length < length)
            buffer = new float[length];
    }
}
