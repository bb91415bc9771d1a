using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML.OnnxRuntime;

namespace Swin2SR.Core.Inference.Devices;

/// <summary>
/// Optimized graphs on disk, so that a second start skips most of graph optimization. One file per model file
/// (its full path, size and modification time), device kind and ONNX Runtime version, in the user's data folder.
/// <para>
/// ONNX Runtime saves a graph optimized at ORT_ENABLE_ALL with a warning that it "may contain hardware specific
/// optimizations, and should only be used in the same environment the model was optimized in": the layout level
/// rewrites convolutions into NCHWc blocks sized for this CPU's vector width (its documentation: "if model has
/// layout optimized for AVX2, the offline model would require CPUs that support AVX2"). A profile folder can move
/// between machines (roaming profiles, a home folder on a share), so the cache holds the graph optimized at
/// ORT_ENABLE_EXTENDED, which depends only on the execution provider, and a session loads it at ORT_ENABLE_ALL:
/// the layout pass, which is quick, runs at every start; the costly constant folding and fusions do not.
/// </para>
/// </summary>
public sealed class OptimizedGraphCache
{
    private const string Extension = ".onnx";
    private const string TemporaryExtension = ".tmp";

    // Beside an entry ONNX Runtime wrote but cannot load. A CUDA session's saved graph may hold the copies between
    // device and host that the provider inserted, which a session cannot load again ("Failed to find kernel for
    // MemcpyToHost", onnxruntime#11348): without the mark every start would write the graph again, fail to load
    // it and load the model, three sessions' work instead of one.
    private const string UnloadableExtension = ".unloadable";

    /// <summary>
    /// How long an entry no start has used is kept. The entries of a model deleted or moved, or of an earlier module
    /// version (its embedded models' paths change with each version), are never read again, and without this they
    /// would pile up for good: a full-size model's graph is about 50 MB.
    /// </summary>
    internal static readonly TimeSpan UnusedLifetime = TimeSpan.FromDays(60);

    // A start marks its entry used at most once a day: the mark is a write, and a scheduled job starts every few minutes.
    private static readonly TimeSpan UseMarkInterval = TimeSpan.FromDays(1);

    public OptimizedGraphCache(string directory) => Directory = Path.GetFullPath(directory);

    public string Directory { get; }

    /// <summary>Swin2SR/cache in the user's local data folder; null for an account without one (a service without a profile).</summary>
    public static OptimizedGraphCache? TryDefault()
    {
        string data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return string.IsNullOrEmpty(data) ? null : new OptimizedGraphCache(Path.Combine(data, "Swin2SR", "cache"));
    }

    /// <summary>The cache file of <paramref name="modelPath"/> as it is now, for <paramref name="deviceKind"/> ("cpu", "cuda").</summary>
    public string EntryPath(string modelPath, string deviceKind)
    {
        var model = new FileInfo(modelPath);
        string state = Hash($"{model.Length}|{model.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture)}");
        return Path.Combine(Directory, $"{EntryPrefix(model, deviceKind)}{state}-ort{ExecutionProviders.OnnxRuntimeVersion}{Extension}");
    }

    /// <summary>
    /// A session for <paramref name="modelPath"/> from its cached optimized graph, writing the graph first when there
    /// is none yet. <paramref name="createOptions"/> makes the options of the session (level ORT_ENABLE_ALL); they
    /// are disposed here. The cache is only a shortcut: when it cannot be written or read, the session is made from
    /// the model itself.
    /// </summary>
    public InferenceSession Open(string modelPath, string deviceKind, Func<SessionOptions> createOptions)
    {
        string entry = EntryPath(modelPath, deviceKind);
        if (File.Exists(entry + UnloadableExtension))
            return CreateSession(modelPath, createOptions);
        if (File.Exists(entry))
            MarkUsed(entry);
        else if (!TryWrite(modelPath, deviceKind, entry, createOptions))
            return CreateSession(modelPath, createOptions);
        try
        {
            return CreateSession(entry, createOptions);
        }
        catch (OnnxRuntimeException)
        {
            TryDelete(entry);
            var model = CreateSession(modelPath, createOptions);
            // The model loads where its optimized graph did not: that graph cannot be loaded, and writing it again
            // would not help. A damaged file that the model loads past is taken for that too, once per model version.
            TryMarkUnloadable(entry);
            return model;
        }
    }

    /// <summary>
    /// A file made from <paramref name="modelPath"/> by <paramref name="make"/> (a variant of the model, such as its
    /// fp16 rewrite), kept like an optimized graph: made once per state of the model file, stale ones removed.
    /// </summary>
    /// <exception cref="IOException">The folder cannot be written.</exception>
    internal string Derive(string modelPath, string kind, Func<byte[]> make)
    {
        string entry = EntryPath(modelPath, kind);
        if (File.Exists(entry))
        {
            MarkUsed(entry);
            return entry;
        }
        System.IO.Directory.CreateDirectory(Directory);
        string temporary = $"{entry}.{Guid.NewGuid():N}{TemporaryExtension}";
        try
        {
            File.WriteAllBytes(temporary, make());
            File.Move(temporary, entry, overwrite: true);
        }
        finally
        {
            TryDelete(temporary);
        }
        RemoveStaleEntries(modelPath, kind, entry);
        return entry;
    }

    internal static InferenceSession CreateSession(string path, Func<SessionOptions> createOptions)
    {
        using var options = createOptions();
        return OnnxEnvironment.Session(path, options);
    }

    private bool TryWrite(string modelPath, string deviceKind, string entry, Func<SessionOptions> createOptions)
    {
        // Written under a unique name and renamed into place: sessions on several GPUs, or several processes, may
        // write the same entry at once, and a reader must never see half a file.
        string temporary = $"{entry}.{Guid.NewGuid():N}{TemporaryExtension}";
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            using (var options = createOptions())
            {
                options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED;
                options.OptimizedModelFilePath = temporary;
                OnnxEnvironment.Session(modelPath, options).Dispose();
            }
            File.Move(temporary, entry, overwrite: true);
            RemoveStaleEntries(modelPath, deviceKind, entry);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OnnxRuntimeException)
        {
            TryDelete(temporary);
            return false;
        }
    }

    /// <summary>
    /// Entries of an earlier version of the same model file (or of an earlier ONNX Runtime) are never read again;
    /// nor are those unused for <see cref="UnusedLifetime"/>, nor a writer's temporary file a day old (its process
    /// ended before it could rename it). Looked for only when an entry is written, which is rare.
    /// </summary>
    private void RemoveStaleEntries(string modelPath, string deviceKind, string current)
    {
        string prefix = EntryPrefix(new FileInfo(modelPath), deviceKind);
        foreach (string stale in System.IO.Directory.EnumerateFiles(Directory, prefix + "*" + Extension))
        {
            if (!string.Equals(stale, current, StringComparison.Ordinal))
                TryDelete(stale);
        }
        RemoveOlderThan("*" + Extension, UnusedLifetime);
        RemoveOlderThan("*" + UnloadableExtension, UnusedLifetime);
        RemoveOlderThan("*" + TemporaryExtension, UseMarkInterval);
    }

    private void RemoveOlderThan(string pattern, TimeSpan age)
    {
        DateTime before = DateTime.UtcNow - age;
        foreach (string file in System.IO.Directory.EnumerateFiles(Directory, pattern))
        {
            if (File.GetLastWriteTimeUtc(file) < before)
                TryDelete(file);
        }
    }

    private static void TryMarkUnloadable(string entry)
    {
        try
        {
            File.WriteAllText(entry + UnloadableExtension, "ONNX Runtime could not load the optimized graph it saved for this model; starts load the model itself.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only the shortcut's cost: the next start tries the cache again.
        }
    }

    /// <summary>The entry's modification time says when a start last used it (<see cref="UnusedLifetime"/>).</summary>
    private static void MarkUsed(string entry)
    {
        try
        {
            if (File.GetLastWriteTimeUtc(entry) < DateTime.UtcNow - UseMarkInterval)
                File.SetLastWriteTimeUtc(entry, DateTime.UtcNow);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A cache shared read-only, or its entry removed meanwhile: only the pruning is less exact.
        }
    }

    // The model's name keeps the folder readable; the hash of its full path keeps two models of the same name apart.
    private static string EntryPrefix(FileInfo model, string deviceKind) =>
        $"{Path.GetFileNameWithoutExtension(model.Name)}-{Hash(model.FullName)}-{deviceKind}-";

    private static string Hash(string text) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0, 6).ToLowerInvariant();

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another process holds it (Windows) or removed it already; it is only a cache.
        }
    }
}
