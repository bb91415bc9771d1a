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
/// <para>
/// A model that keeps its weights in files beside it (ONNX external data) has an entry that keeps them in a file
/// beside the entry (<c>&lt;entry&gt;.&lt;guid&gt;.data</c>, which the entry names): saved as one file, the graph would name
/// the model's weights file by its relative name, not beside it in the cache, and could not load (a graph over
/// 2 GB cannot be one protobuf file anyway). The weights files' size and time count in the entry's name as the
/// model file's do: new weights make a new entry.
/// </para>
/// </summary>
public sealed class OptimizedGraphCache
{
    private const string Extension = ".onnx";
    private const string TemporaryExtension = ".tmp";

    // The weights of an entry made from a model that keeps them beside it (ONNX external data): "<entry>.<guid>.data",
    // named by the entry, removed with it.
    private const string DataExtension = ".data";

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

    /// <summary>
    /// The size from which an external-data model's tensors go to its entry's weights file; smaller ones stay in the
    /// entry. Not all of them: ONNX Runtime cannot load a graph whose shape inputs (Pad's pads, Reshape's shape) are
    /// external data ("Cannot parse data from external tensors", 1.31), and those are small. 1024 is ONNX Runtime's
    /// own default; tests lower it so that a tiny test model's weights go to the file.
    /// </summary>
    internal long ExternalWeightsMinBytes { get; init; } = 1024;

    /// <summary>Swin2SR/cache in the user's local data folder; null for an account without one (a service without a profile).</summary>
    public static OptimizedGraphCache? TryDefault()
    {
        string data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return string.IsNullOrEmpty(data) ? null : new OptimizedGraphCache(Path.Combine(data, "Swin2SR", "cache"));
    }

    /// <summary>
    /// The cache file of <paramref name="modelPath"/> as it is now, for <paramref name="deviceKind"/> ("cpu", "cuda"):
    /// the state of the model's weights files (ONNX external data) counts as the model file's does, since the entry
    /// holds the weights it was optimized with.
    /// </summary>
    public string EntryPath(string modelPath, string deviceKind) => EntryPath(modelPath, deviceKind, WeightsFiles(modelPath));

    private string EntryPath(string modelPath, string deviceKind, IReadOnlyList<string> weightsFiles)
    {
        var model = new FileInfo(modelPath);
        string state = Hash(string.Join('|', new[] { model }.Concat(weightsFiles.Select(f => new FileInfo(f)))
            .Select(f => $"{(f.Exists ? f.Length : -1)}|{f.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture)}")));
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
        var weightsFiles = WeightsFiles(modelPath);
        string entry = EntryPath(modelPath, deviceKind, weightsFiles);
        if (File.Exists(entry + UnloadableExtension))
            return CreateSession(modelPath, createOptions);
        if (File.Exists(entry))
            MarkUsed(entry);
        else if (!TryWrite(modelPath, deviceKind, entry, weightsFiles.Count > 0, createOptions))
            return CreateSession(modelPath, createOptions);
        try
        {
            return CreateSession(entry, createOptions);
        }
        catch (OnnxRuntimeException)
        {
            foreach (string weights in WeightsFiles(entry))
                TryDelete(weights);
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

    /// <param name="externalWeights">The model keeps its weights in files beside it, and so does its entry (<see cref="DataExtension"/>).</param>
    private bool TryWrite(string modelPath, string deviceKind, string entry, bool externalWeights, Func<SessionOptions> createOptions)
    {
        // Written under a unique name and renamed into place: sessions on several GPUs, or several processes, may
        // write the same entry at once, and a reader must never see half a file. The weights file keeps its unique
        // name: the entry names it, and a writer that lost the race must not overwrite the one the winner's names.
        string unique = $"{entry}.{Guid.NewGuid():N}";
        string temporary = unique + TemporaryExtension;
        string? weights = externalWeights ? unique + DataExtension : null;
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            using (var options = createOptions())
            {
                options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED;
                options.OptimizedModelFilePath = temporary;
                if (weights is not null)
                {
                    // Saved as it is, the graph would name the model's own weights file by its relative name, which is
                    // not beside the entry: the entry could not load (and a graph over 2 GB cannot be one file).
                    options.AddSessionConfigEntry("session.optimized_model_external_initializers_file_name", Path.GetFileName(weights));
                    options.AddSessionConfigEntry("session.optimized_model_external_initializers_min_size_in_bytes",
                        ExternalWeightsMinBytes.ToString(CultureInfo.InvariantCulture));
                }
                OnnxEnvironment.Session(modelPath, options).Dispose();
            }
            File.Move(temporary, entry, overwrite: true);
            RemoveStaleEntries(modelPath, deviceKind, entry);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OnnxRuntimeException)
        {
            TryDelete(temporary);
            if (weights is not null)
                TryDelete(weights);
            return false;
        }
    }

    /// <summary>The files <paramref name="modelPath"/> keeps its weights in (ONNX external data); none for most models, and for a file that is no model.</summary>
    private static IReadOnlyList<string> WeightsFiles(string modelPath)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(modelPath))!;
        try
        {
            return ExternalDataFiles.Read(modelPath).Select(f => Path.Combine(folder, f.Location)).ToList();
        }
        catch (Exception e) when (e is InvalidDataException or IOException or RefusedLocationException or UnauthorizedAccessException)
        {
            return []; // loading the model says what is wrong with it
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
        RemoveOrphanedWeights();
        RemoveOlderThan("*" + UnloadableExtension, UnusedLifetime);
        RemoveOlderThan("*" + TemporaryExtension, UseMarkInterval);
    }

    /// <summary>
    /// Weights files whose entry is gone (removed above, or by hand), or that their entry does not name (a writer's
    /// that lost the race to rename its entry): those a day old, since a writer may not have renamed its entry yet,
    /// and a session may be loading an entry that was replaced a moment ago.
    /// </summary>
    private void RemoveOrphanedWeights()
    {
        DateTime before = DateTime.UtcNow - UseMarkInterval;
        foreach (string weights in System.IO.Directory.EnumerateFiles(Directory, "*" + Extension + ".*" + DataExtension))
        {
            string name = Path.GetFileName(weights);
            string entry = Path.Combine(Directory, name[..(name.IndexOf(Extension + ".", StringComparison.Ordinal) + Extension.Length)]);
            // A writer writes the weights before it renames its entry into place: a weights file without an entry may be one.
            if (File.GetLastWriteTimeUtc(weights) < before && (!File.Exists(entry) || !WeightsFiles(entry).Contains(weights)))
                TryDelete(weights);
        }
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
