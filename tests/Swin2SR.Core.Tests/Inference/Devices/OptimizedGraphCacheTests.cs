using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Devices;
using Swin2SR.Core.Tests.Support;
using Swin2SR.Core.Tiling;

namespace Swin2SR.Core.Tests.Inference.Devices;

public sealed class OptimizedGraphCacheTests : IDisposable
{
    private const int Batch = 2;
    private const int Tile = 16;
    private readonly TempFolder _folder = new();
    private readonly OptimizedGraphCache _cache;
    private readonly string _model;

    public OptimizedGraphCacheTests()
    {
        _cache = new OptimizedGraphCache(_folder.File("cache"));
        _model = _folder.File("boxblur-x2.onnx");
        File.Copy(RepoPaths.TestModel("boxblur-x2"), _model);
    }

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("models/test/boxblur-x2.onnx")]
    [InlineData("models/swin2sr-tiny-x2.onnx")] // a real Swin2SR graph: fusions, layer norms, attention
    public void The_first_session_writes_the_entry_and_cached_sessions_compute_the_same_pixels(string committedModel)
    {
        string model = _folder.File("models", Path.GetFileName(committedModel));
        Directory.CreateDirectory(Path.GetDirectoryName(model)!);
        File.Copy(Path.Combine(RepoPaths.Root, committedModel), model);
        float[] input = RandomTiles(seed: 1);
        float[] uncached = RunOnce(TileModel.LoadCpu(model, 1), input);
        string entry = _cache.EntryPath(model, "cpu");
        Assert.False(File.Exists(entry));

        float[] first = RunOnce(TileModel.LoadCpu(model, 1, _cache), input);
        Assert.True(File.Exists(entry));
        DateTime written = File.GetLastWriteTimeUtc(entry);
        float[] second = RunOnce(TileModel.LoadCpu(model, 1, _cache), input);

        Assert.Equal(written, File.GetLastWriteTimeUtc(entry)); // read, not written again
        Assert.Equal(uncached, first);
        Assert.Equal(uncached, second);
        Assert.Equal([entry], Directory.GetFiles(_cache.Directory)); // no temporary file left behind
        using var saved = new Microsoft.ML.OnnxRuntime.InferenceSession(entry);
        Assert.Equal("2", saved.ModelMetadata.CustomMetadataMap["scale"]); // the contract's metadata survives optimization
    }

    [Fact]
    public void A_later_session_runs_the_graph_in_the_entry()
    {
        TileModel.LoadCpu(_model, 1, _cache).Dispose();
        // Put another graph in the entry: a session that reads the entry computes that graph, not the model's.
        File.Copy(RepoPaths.TestModel("nearest-x2"), _cache.EntryPath(_model, "cpu"), overwrite: true);
        float[] input = RandomTiles(seed: 2);

        using var model = TileModel.LoadCpu(_model, 1, _cache);
        float[] output = RunOnce(model, input, dispose: false);

        Assert.Equal(Nearest2x(input), output);
        Assert.Equal(_model, model.Path); // still reported as the model the user named
    }

    [Fact]
    public void A_changed_model_gets_a_new_entry_and_the_old_one_is_removed()
    {
        TileModel.LoadCpu(_model, 1, _cache).Dispose();
        string old = _cache.EntryPath(_model, "cpu");
        File.SetLastWriteTimeUtc(_model, File.GetLastWriteTimeUtc(_model).AddMinutes(1));

        TileModel.LoadCpu(_model, 1, _cache).Dispose();

        string current = _cache.EntryPath(_model, "cpu");
        Assert.NotEqual(old, current);
        Assert.Equal([current], Directory.GetFiles(_cache.Directory));
    }

    [Fact]
    public void Writing_an_entry_removes_those_no_start_used_for_the_lifetime_and_a_day_old_temporary_or_unnamed_weights_file()
    {
        Directory.CreateDirectory(_cache.Directory);
        string Aged(string name, TimeSpan age)
        {
            string path = Path.Combine(_cache.Directory, name);
            File.WriteAllText(path, "an entry");
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
            return path;
        }
        // A model of an earlier module version, one used last month, a crashed writer's file and a writer's of now.
        string abandoned = Aged("swin2sr-tiny-x4-0a1b2c3d4e5f-cpu-aaaa-ort1.30.0.onnx", OptimizedGraphCache.UnusedLifetime + TimeSpan.FromDays(1));
        string recent = Aged("other-0a1b2c3d4e5f-cpu-bbbb-ort1.31.0.onnx", TimeSpan.FromDays(30));
        string crashed = Aged("other-0a1b2c3d4e5f-cpu-bbbb-ort1.31.0.onnx.0123.tmp", TimeSpan.FromDays(2));
        string writing = Aged("other-0a1b2c3d4e5f-cpu-cccc-ort1.31.0.onnx.4567.tmp", TimeSpan.FromMinutes(1));
        // Weights files of external-data models' entries: the abandoned entry's, one its entry does not name (a
        // writer's that lost the race to rename), and one a writer wrote a minute ago, before renaming its entry.
        string abandonedWeights = Aged("swin2sr-tiny-x4-0a1b2c3d4e5f-cpu-aaaa-ort1.30.0.onnx.89ab.data", OptimizedGraphCache.UnusedLifetime + TimeSpan.FromDays(1));
        string unnamedWeights = Aged("other-0a1b2c3d4e5f-cpu-bbbb-ort1.31.0.onnx.cdef.data", TimeSpan.FromDays(2));
        string writingWeights = Aged("other-0a1b2c3d4e5f-cpu-cccc-ort1.31.0.onnx.4567.data", TimeSpan.FromMinutes(1));

        TileModel.LoadCpu(_model, 1, _cache).Dispose();

        Assert.False(File.Exists(abandoned));
        Assert.False(File.Exists(crashed));
        Assert.False(File.Exists(abandonedWeights));
        Assert.False(File.Exists(unnamedWeights));
        Assert.True(File.Exists(recent));
        Assert.True(File.Exists(writing));
        Assert.True(File.Exists(writingWeights));
        Assert.True(File.Exists(_cache.EntryPath(_model, "cpu")));
    }

    [Fact]
    public void A_start_marks_its_entry_used_so_that_a_model_in_use_keeps_it()
    {
        TileModel.LoadCpu(_model, 1, _cache).Dispose();
        string entry = _cache.EntryPath(_model, "cpu");
        File.SetLastWriteTimeUtc(entry, DateTime.UtcNow - OptimizedGraphCache.UnusedLifetime + TimeSpan.FromDays(1));

        TileModel.LoadCpu(_model, 1, _cache).Dispose();

        Assert.True(File.GetLastWriteTimeUtc(entry) > DateTime.UtcNow - TimeSpan.FromHours(1));
    }

    [Fact]
    public void Entries_are_kept_per_device_kind_and_model_path()
    {
        string other = _folder.File("elsewhere", "boxblur-x2.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(other)!);
        File.Copy(_model, other);
        File.SetLastWriteTimeUtc(other, File.GetLastWriteTimeUtc(_model));

        Assert.NotEqual(_cache.EntryPath(_model, "cpu"), _cache.EntryPath(_model, "cuda"));
        Assert.NotEqual(_cache.EntryPath(_model, "cpu"), _cache.EntryPath(other, "cpu"));
        Assert.Contains($"ort{ExecutionProviders.OnnxRuntimeVersion}", Path.GetFileName(_cache.EntryPath(_model, "cpu")));
    }

    [Fact]
    public void An_entry_that_cannot_be_loaded_is_removed_the_model_itself_is_loaded_and_later_starts_do_not_write_it_again()
    {
        string entry = _cache.EntryPath(_model, "cpu");
        Directory.CreateDirectory(_cache.Directory);
        File.WriteAllText(entry, "not an onnx graph");
        float[] input = RandomTiles(seed: 3);

        float[] output = RunOnce(TileModel.LoadCpu(_model, 1, _cache), input);
        float[] later = RunOnce(TileModel.LoadCpu(_model, 1, _cache), input);

        float[] uncached = RunOnce(TileModel.LoadCpu(_model, 1), input);
        Assert.Equal(uncached, output);
        Assert.Equal(uncached, later);
        // As a CUDA graph holding the provider's copy nodes would fail again: written, unloadable, every start.
        Assert.False(File.Exists(entry));
        Assert.Equal([entry + ".unloadable"], Directory.GetFiles(_cache.Directory));
    }

    [Fact]
    public void A_cache_folder_that_cannot_be_made_only_costs_the_shortcut()
    {
        File.WriteAllText(_folder.File("blocked"), "a file where the folder should be");
        var blocked = new OptimizedGraphCache(_folder.File("blocked"));
        float[] input = RandomTiles(seed: 4);

        float[] output = RunOnce(TileModel.LoadCpu(_model, 1, blocked), input);

        Assert.Equal(RunOnce(TileModel.LoadCpu(_model, 1), input), output);
    }

    private static float[] RandomTiles(int seed)
    {
        var random = new Random(seed);
        var data = new float[Batch * 3 * Tile * Tile];
        for (int i = 0; i < data.Length; i++)
            data[i] = random.NextSingle();
        return data;
    }

    private static float[] RunOnce(TileModel model, float[] input, bool dispose = true)
    {
        var output = new float[Batch * 3 * Tile * model.Scale * Tile * model.Scale];
        try
        {
            model.Run(input, output, Batch, TileShape.Square(Tile), Precision.Fp32);
            return output;
        }
        finally
        {
            if (dispose)
                model.Dispose();
        }
    }

    // out[b,c,y,x] = in[b,c,y/2,x/2]
    private static float[] Nearest2x(float[] input)
    {
        int size = Tile * 2;
        var output = new float[Batch * 3 * size * size];
        for (int plane = 0; plane < Batch * 3; plane++)
        {
            for (int y = 0; y < size; y++)
            {
                for (int x = 0; x < size; x++)
                    output[(plane * size + y) * size + x] = input[(plane * Tile + y / 2) * Tile + x / 2];
            }
        }
        return output;
    }
}
