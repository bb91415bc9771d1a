using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Devices;
using Swin2SR.Core.Tiling;

namespace Swin2SR.Core.Pipeline;

/// <summary>
/// Whether a -BatchSize fits the memory the CPU may use. Every CPU worker holds a whole batch's activations while it
/// runs, so batches of n hold n tiles per worker at once; and unlike a GPU the CPU reports no free memory a batch
/// could back off from: on Linux an allocation seldom fails, the kernel ends the process instead. So the user is
/// told before the run, with the estimate and the limit; the batch asked for is kept (it is the job's, and the
/// estimate is a floor that cannot know the model's real cost).
/// </summary>
public static class CpuBatchMemory
{
    /// <summary>
    /// Bytes a tile holds per input pixel on the CPU, at least. The tiny x4 model (the smallest Swin2SR here) on 2
    /// workers, 24 images of 256x256 in 272x272 tiles, peaked at 2.5 and 2.5, 4.8 and 4.0, 8.4 and 8.0 GiB with
    /// batches of 1, 2 and 4 (/usr/bin/time -v, two passes in opposite orders on a shared machine): 0.97 and 0.92 GiB
    /// more per tile and worker from 1 to 4, 13 KiB a pixel; 12 KiB (0.85 GiB a tile) stays under both. Larger models
    /// hold more (the full-size one about twice): the estimate is a floor.
    /// </summary>
    public const long BytesPerTilePixel = 12L << 10;

    /// <summary>The warning for <paramref name="options"/>' -BatchSize on the CPU workers among <paramref name="devices"/>; null when it fits or none was given.</summary>
    /// <remarks>Against the memory this process may use (<see cref="Imaging.ImageMemory.ProcessMemoryBytes"/>, as for the CPU workers).</remarks>
    public static string? Warning(IReadOnlyList<ITileRunner> devices, UpscaleOptions options)
    {
        if (options.BatchSize <= 1 || devices[0].Contract.FixedBatch is not null)
            return null; // a model with a fixed batch ignores -BatchSize (ModelContract.UnusedBatchSize says so)
        var (workers, tile) = CpuTiles(devices, WithTileThatFits(devices, options));
        return workers == 0 ? null : Warning(options.BatchSize, workers, tile, Imaging.ImageMemory.ProcessMemoryBytes(), options.MaxBytesInFlight);
    }

    /// <summary>
    /// What the CPU workers among <paramref name="devices"/> hold for their tiles while they run, at least (a batch
    /// each; one tile unless -BatchSize or the model fixes more): memory that no image can have beside them. None
    /// where only GPUs run the model: their tiles are in the GPU's memory.
    /// </summary>
    public static long HeldByWorkers(IReadOnlyList<ITileRunner> devices, UpscaleOptions options)
    {
        var (workers, tile) = CpuTiles(devices, options);
        int batch = devices[0].Contract.FixedBatch ?? Math.Max(1, options.BatchSize);
        return batch * workers * tile.Pixels * BytesPerTilePixel;
    }

    /// <summary>
    /// The share of what an image may use (<see cref="Imaging.ImageMemory.UsableBytes"/>) that the CPU workers' tiles
    /// may take when no -TileSize is given; images have the rest. With the default tile of 256 (272 with its edge
    /// context, 867 MB at <see cref="BytesPerTilePixel"/>) a 1 GiB container, whose garbage collector sees 768 MB,
    /// left no image any memory: every one, a 256x256 JPEG too, was refused with OutputTooLarge. A third keeps the
    /// default from 2.9 GB a worker up, and on 1 GiB (one worker) gives tiles of 120, beside which a 1-megapixel
    /// photo still fits x4.
    /// </summary>
    private const int TileShareDivisor = 3;

    /// <summary>
    /// <paramref name="options"/> with the automatic tile made small enough that the CPU workers among
    /// <paramref name="devices"/> leave images room (<see cref="FittedTileSize"/>); unchanged where -TileSize was
    /// given (the user's choice, checked against memory per image), the model fixes its size, or only GPUs run it.
    /// </summary>
    public static UpscaleOptions WithTileThatFits(IReadOnlyList<ITileRunner> devices, UpscaleOptions options)
    {
        var contract = devices[0].Contract;
        int workers = devices.Where(d => d.Kind == DeviceKind.Cpu).Sum(d => d.Lanes);
        if (options.TileSize > 0 || contract.FixedSize is not null || workers == 0)
            return options;
        int batch = contract.FixedBatch ?? 1; // the CPU's automatic batch; a -BatchSize given is warned about instead
        return FittedTileSize(workers * batch, contract.Window, options.Limits.MemoryBytes) is { } tile ? options with { TileSize = tile } : options;
    }

    /// <summary>
    /// The largest multiple of <paramref name="window"/> up to the default tile whose <paramref name="tilesHeld"/>
    /// tiles (edge context included) take at most a <see cref="TileShareDivisor"/>th of what an image may use of
    /// <paramref name="memoryBytes"/>; one window where none does; null where the default fits.
    /// </summary>
    internal static int? FittedTileSize(int tilesHeld, int window, long memoryBytes)
    {
        long allowed = Imaging.ImageMemory.UsableBytes(memoryBytes) / TileShareDivisor;
        int defaultTile = TileGeometry.DefaultFor(window);
        for (int tile = defaultTile; tile > window; tile -= window)
            if (tilesHeld * TileShape.Square(tile + TileAxis.ContextRoom(window)).Pixels * BytesPerTilePixel <= allowed)
                return tile == defaultTile ? null : tile;
        return window;
    }

    /// <summary>The CPU workers among <paramref name="devices"/>, and the largest tile each runs.</summary>
    private static (int Workers, TileShape Tile) CpuTiles(IReadOnlyList<ITileRunner> devices, UpscaleOptions options)
    {
        var contract = devices[0].Contract;
        int workers = devices.Where(d => d.Kind == DeviceKind.Cpu).Sum(d => d.Lanes);
        int side = contract.FixedSize ?? TileGeometry.Resolve(options, contract).TileSize + TileAxis.ContextRoom(contract.Window);
        return (workers, TileShape.Square(side));
    }

    /// <param name="imageBytes">What the images in flight may hold (<see cref="UpscaleOptions.MaxBytesInFlight"/>): not the tiles'.</param>
    internal static string? Warning(int batch, int workers, TileShape tile, long memoryBytes, long imageBytes)
    {
        long perTile = workers * tile.Pixels * BytesPerTilePixel; // one more tile in every worker's batch
        long needed = batch * perTile, limit = memoryBytes - imageBytes;
        if (needed <= limit)
            return null;
        long fits = Math.Max(0, limit / perTile);
        string most = fits > 1 ? $"-BatchSize {fits} is the most that fits" : "one tile a worker is the most that fits";
        return $"-BatchSize {batch} needs at least {GiB(needed)} for the tiles held at once by {workers} CPU worker{(workers == 1 ? "" : "s")} " +
            $"({batch} of up to {tile} each, {BytesPerTilePixel >> 10} KiB a pixel with the smallest models), more than the {GiB(limit)} this process " +
            $"may use beside the images in flight ({GiB(memoryBytes)} less {GiB(imageBytes)}): the run may run out of memory and be stopped. " +
            $"{most}; on the CPU a batch of one tile is as fast.";
    }

    private static string GiB(long bytes) => $"{bytes / (double)(1L << 30):0.0} GiB";
}
