using Microsoft.ML.OnnxRuntime;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.CpuMemory;
using Swin2SR.Core.Tests.Support;
using Swin2SR.Core.Tiling;

namespace Swin2SR.Core.Tests.Inference.CpuMemory;

/// <summary>
/// ONNX Runtime's CPU sessions computing in <see cref="HugePageAllocator"/>'s memory. Its figures are the process's,
/// so these tests run alone (<see cref="HugePageCollection"/>): no other session allocates meanwhile.
/// </summary>
[Collection(HugePageCollection.Name)]
public sealed class HugePageAllocatorTests
{
    private const int Tile = 128;
    // The memory for which one 128x128 tile is the largest run on huge pages (a quarter of it at 32 KiB a pixel).
    private const long MemoryForOneTile = 4L * (32 << 10) * Tile * Tile;
    private static readonly string ModelPath = Path.Combine(RepoPaths.Root, "models", "swin2sr-tiny-x4.onnx");

    [HugePageFact]
    public void A_cpu_model_computes_what_onnx_runtime_computes_on_its_own_arena_reusing_its_blocks_from_run_to_run()
    {
        var input = RandomTiles(1);
        var expected = ComputeOnTheArena(input, 1);
        using (var model = TileModel.LoadCpu(ModelPath, cores: 1, memoryBytes: MemoryForOneTile))
        {
            Assert.True(model.HugePages);
            Assert.Equal(Tile * Tile, model.RunPixelLimit);
            var output = new float[expected.Length];
            var before = HugePageAllocator.Statistics();
            model.Run(input, output, 1, TileShape.Square(Tile), Precision.Fp32);
            Assert.Equal(expected, output);
            Assert.True(HugePageAllocator.Statistics().Mapped > before.Mapped, "the run's activations were not mapped here");

            // ONNX Runtime plans a shape's memory over its first runs (one block for the activations from the second);
            // after that every run of the shape, as every later tile of a job, takes the same blocks.
            model.Run(input, output, 1, TileShape.Square(Tile), Precision.Fp32);
            model.Run(input, output, 1, TileShape.Square(Tile), Precision.Fp32);
            var planned = HugePageAllocator.Statistics();
            Array.Clear(output);
            model.Run(input, output, 1, TileShape.Square(Tile), Precision.Fp32);
            var steady = HugePageAllocator.Statistics();
            Assert.Equal(expected, output);
            Assert.Equal(planned.Mapped, steady.Mapped); // nothing new from the system
            Assert.True(steady.Reused > planned.Reused);
        }
        // Closing the model gives every block back.
        var closed = HugePageAllocator.Statistics();
        Assert.Equal(0, closed.InUseBytes);
        Assert.Equal(0, closed.FreeBytes);
    }

    [HugePageFact]
    public void A_run_beyond_the_limit_computes_on_onnx_runtimes_arena_whose_failures_are_errors()
    {
        var input = RandomTiles(2);
        var expected = ComputeOnTheArena(input, 2);
        using var model = TileModel.LoadCpu(ModelPath, cores: 1, memoryBytes: MemoryForOneTile);
        var output = new float[expected.Length];
        var before = HugePageAllocator.Statistics();

        model.Run(input, output, 2, TileShape.Square(Tile), Precision.Fp32);

        Assert.Equal(expected, output);
        Assert.Equal(before, HugePageAllocator.Statistics());
    }

    [HugePageFact]
    public void Tiles_of_two_shapes_in_turn_take_the_same_blocks_once_each_shape_has_run()
    {
        // On the CPU each image takes the tile size that fits it, so a job's tiles change shape; ONNX Runtime plans the
        // memory of the first shape only, and runs every other one buffer by buffer.
        using var model = TileModel.LoadCpu(ModelPath, cores: 1, memoryBytes: MemoryForOneTile);
        const int other = Tile - 32;
        var shapes = new[] { (Tile, RandomTiles(1), new float[3 * Tile * Tile * 16]), (other, new float[3 * other * other], new float[3 * other * other * 16]) };
        void Round()
        {
            foreach (var (size, input, output) in shapes)
                model.Run(input, output, 1, TileShape.Square(size), Precision.Fp32);
        }
        Round();
        Round();
        var settled = HugePageAllocator.Statistics();

        for (int round = 0; round < ReusableBlocks.KeptRuns; round++)
            Round();

        var after = HugePageAllocator.Statistics();
        Assert.Equal(settled.Mapped, after.Mapped); // nothing new from the system
        Assert.True(after.Reused > settled.Reused);
    }

    private static float[] RandomTiles(int batch)
    {
        var random = new Random(batch);
        return Enumerable.Range(0, batch * 3 * Tile * Tile).Select(_ => random.NextSingle()).ToArray();
    }

    /// <summary>The same options as the product's CPU session with one core, on ONNX Runtime's own memory.</summary>
    private static float[] ComputeOnTheArena(float[] input, int batch)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = 1 };
        using var session = new InferenceSession(ModelPath, options);
        using var value = OrtValue.CreateTensorValueFromMemory(input, [batch, 3, Tile, Tile]);
        using var outputs = session.Run(new RunOptions(), [session.InputNames[0]], [value], [session.OutputNames[0]]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HugePageCollection
{
    public const string Name = "Huge page allocator (alone)";
}

/// <summary>A fact that needs huge-page mappings (Linux); skipped, with the reason, elsewhere.</summary>
internal sealed class HugePageFactAttribute : FactAttribute
{
    public HugePageFactAttribute()
    {
        if (HugePageMappings.WhyNot is { } reason)
            Skip = reason;
    }
}
