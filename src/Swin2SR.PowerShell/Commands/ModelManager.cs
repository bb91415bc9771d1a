using System.Management.Automation;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Models;
using Swin2SR.PowerShell.Hosting;

namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// The bridge between the model cmdlets and the engine's catalog, model store and installer. Engine types stay
/// inside; the cmdlets get <see cref="Swin2SRModelInfo"/> objects and error records. Used on the pipeline thread.
/// </summary>
internal sealed class ModelManager : IDisposable
{
    private readonly ModelStore? _store;
    private readonly string? _storeProblem;
    // Never disposed: StopProcessing calls Stop from another thread, possibly after Dispose, and a source
    // without timers holds nothing that needs releasing.
    private readonly CancellationTokenSource _stopping = new();
    private ModelCatalog? _catalog;
    private ModelInstaller? _installer;

    private ModelManager(ModelStore? store, string? storeProblem)
    {
        _store = store;
        _storeProblem = storeProblem;
    }

    public static string EmbeddedDirectory => Path.Combine(ModuleInitializer.ModuleDirectory, "models");

    /// <summary>The catalog shipped with the module.</summary>
    public static string DefaultCatalog => Path.Combine(EmbeddedDirectory, "catalog.json");

    /// <summary>What -Model on Invoke-Swin2SRUpscale resolves with: embedded, then installed models.</summary>
    public static ModelLocator CreateLocator() => new(EmbeddedDirectory, ModelStore.TryDefault(), DefaultCatalog);

    public static ModelManager Open() => new(ModelStore.TryDefault(out string? problem), problem);

    /// <summary>Why $env:SWIN2SR_MODEL_PATH cannot be used (a relative path); null when it can, or is not set.</summary>
    public string? StoreProblem => _storeProblem;

    /// <summary>The model folder; null when there is none (<see cref="StoreProblem"/>).</summary>
    public string? Folder => _store?.Directory;

    public string? CatalogSource => _catalog?.Source;

    /// <summary>
    /// Reads the catalog (a path or an http(s) address); a failure comes back as an error record. A download that
    /// <see cref="Stop"/> ends throws <see cref="PipelineStoppedException"/> and leaves the catalog read before.
    /// </summary>
    public ErrorRecord? LoadCatalog(string source)
    {
        try
        {
            _catalog = CatalogLoader.Load(source, _stopping.Token);
            return null;
        }
        catch (ModelCatalogException e)
        {
            return ModelErrorRecords.Catalog(e);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>
    /// Ends the catalog download and the installation under way, and any started later (Ctrl+C: the cmdlet's
    /// StopProcessing, on another thread). Without it a catalog address that does not answer held Ctrl+C for 30 s.
    /// </summary>
    public void Stop() => _stopping.Cancel();

    public static IReadOnlyList<string> CatalogNames(string source)
    {
        try
        {
            return CatalogLoader.Load(source).Entries.Select(e => e.Name).ToList();
        }
        catch (ModelCatalogException)
        {
            return []; // tab completion offers nothing rather than failing while the user types
        }
    }

    /// <summary>ONNX files in the model folder that are not listed because their names are no model names.</summary>
    public IReadOnlyList<string> MisnamedFiles() => _store?.MisnamedFiles() ?? [];

    /// <summary>Embedded, then installed, then (unless <paramref name="installedOnly"/>) catalog models not installed.</summary>
    public IEnumerable<Swin2SRModelInfo> List(bool installedOnly)
    {
        var embedded = new ModelLocator(EmbeddedDirectory).EmbeddedNames();
        foreach (string name in embedded)
            yield return Embedded(name);
        var installed = _store?.Installed() ?? [];
        foreach (var model in installed.Where(m => !embedded.Contains(m.Name)))
            yield return Installed(model, _store!.ChangeSinceInstall(model.Name));
        if (installedOnly || _catalog is null)
            yield break;
        foreach (var entry in _catalog.Entries.Where(e => !embedded.Contains(e.Name) && !installed.Any(m => m.Name == e.Name)))
            yield return Available(entry);
    }

    /// <summary>The model called <paramref name="name"/>, from wherever it is; null when nobody knows it.</summary>
    public Swin2SRModelInfo? Find(string name)
    {
        string? embedded = new ModelLocator(EmbeddedDirectory).EmbeddedNames()
            .FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        if (embedded is not null)
            return Embedded(embedded);
        string lower = name.ToLowerInvariant();
        if (_store is not null && ModelCatalog.IsValidName(lower) && _store.Find(lower) is { } installed)
            return Installed(installed, _store.ChangeSinceInstall(lower));
        return _catalog?.Find(name) is { } entry ? Available(entry) : null;
    }

    /// <summary>The catalog's entry for <paramref name="name"/>, installed or not; null when the catalog does not offer it.</summary>
    public Swin2SRModelInfo? Offered(string name) => _catalog?.Find(name) is { } entry ? Available(entry) : null;

    /// <summary>The names the catalog offers, installed or not.</summary>
    public IEnumerable<string> OfferedNames => _catalog?.Entries.Select(e => e.Name) ?? [];

    /// <summary>Why no model can be installed at all (no model folder, or a file in its place); null when the folder can be used.</summary>
    public ErrorRecord? FolderProblem() =>
        _store is null ? ModelErrorRecords.NoModelFolder(_storeProblem)
        : _store.BlockingFile() is { } file ? ModelErrorRecords.FolderIsFile(_store.Directory, file)
        : null;

    /// <summary>
    /// Where <paramref name="name"/> is installed to, once <see cref="FolderProblem"/> found none, as -WhatIf says it:
    /// both places, since which one is known only once the model is downloaded and its graph read.
    /// </summary>
    public string InstallTarget(string name)
    {
        var (withoutDataFiles, withDataFiles) = _store!.InstallPaths(name.ToLowerInvariant());
        return $"{withoutDataFiles}, or {withDataFiles} with its weights files beside it if its graph keeps its weights in other files (known once it is downloaded)";
    }

    /// <summary>Starts installing a catalog model on a worker thread.</summary>
    public ModelInstallRun StartInstall(string name, bool force)
    {
        var entry = _catalog?.Find(name) ?? throw new InvalidOperationException($"'{name}' is not in the catalog");
        _installer ??= new ModelInstaller(_store ?? throw new InvalidOperationException("there is no model folder"));
        return ModelInstallRun.Start(_installer, entry, force, _stopping.Token);
    }

    /// <summary>The installed models' names, which Uninstall-Swin2SRModel's wildcards match; embedded models are no installed ones.</summary>
    public IReadOnlyList<string> InstalledNames()
    {
        var embedded = new ModelLocator(EmbeddedDirectory).EmbeddedNames();
        return (_store?.InstalledNames() ?? []).Where(n => !embedded.Contains(n)).ToList();
    }

    public bool IsEmbedded(string name) =>
        new ModelLocator(EmbeddedDirectory).EmbeddedNames().Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The files of <paramref name="name"/> in the model folder (model, weights, record, partial downloads); none when it has none there.</summary>
    public IReadOnlyList<string> FilesOf(string name)
    {
        string lower = name.ToLowerInvariant();
        return _store is not null && ModelCatalog.IsValidName(lower) ? _store.FilesOf(lower) : [];
    }

    /// <summary>Removes the model's files (<see cref="FilesOf"/>); the files removed, or an error record.</summary>
    public IReadOnlyList<string> Uninstall(string name, out ErrorRecord? error)
    {
        error = null;
        try
        {
            return _store!.Uninstall(name.ToLowerInvariant());
        }
        catch (ModelInstallException e)
        {
            error = ModelErrorRecords.FromInstall(e);
            return [];
        }
    }

    private static Swin2SRModelInfo Embedded(string name)
    {
        string path = Path.Combine(EmbeddedDirectory, name + ".onnx");
        return new Swin2SRModelInfo
        {
            Name = name,
            Source = Swin2SRModelSource.Embedded,
            Scale = ReadScale(path),
            Size = new FileInfo(path).Length,
            Path = path,
            Task = "classical-sr",
            // models/tools/export.py writes the embedded models' weights in float32 only.
            Precision = "fp32",
            IntendedUse = "The module's default for its scale: small, runs well on a CPU.",
        };
    }

    // Embedded models are small: loading one to read its scale costs little, and it is the model's own word.
    private static int? ReadScale(string path)
    {
        try
        {
            using var model = TileModel.LoadCpu(path, cores: 1);
            return model.Scale;
        }
        catch (ModelLoadException)
        {
            return null;
        }
    }

    /// <param name="change">How the file differs from the one verified at installation (<see cref="ModelStore.ChangeSinceInstall"/>).</param>
    internal static Swin2SRModelInfo Installed(InstalledModel model, string? change = null) => new()
    {
        Name = model.Name,
        Source = Swin2SRModelSource.Installed,
        Scale = model.Scale,
        // What the model takes on disk: a model over 2 GB keeps its weights beside a graph of a few kB.
        Size = model.SizeBytes + model.DataFiles.Sum(file => new FileInfo(file) is { Exists: true } data ? data.Length : 0),
        Path = model.Path,
        Task = model.Entry?.Task,
        Precision = model.Entry?.Precision,
        Revision = model.Entry?.Revision,
        Sha256 = model.Entry?.Sha256,
        Url = model.Entry?.Url.ToString(),
        IntendedUse = model.Entry?.IntendedUse,
        InstalledAt = model.InstalledAt,
        DataFiles = [.. model.DataFiles],
        ChangedSinceInstall = change,
    };

    private Swin2SRModelInfo Available(CatalogEntry entry) => new()
    {
        Catalog = _catalog?.Source,
        Name = entry.Name,
        Source = Swin2SRModelSource.Available,
        Scale = entry.Scale,
        Size = entry.SizeBytes,
        Task = entry.Task,
        Precision = entry.Precision,
        Revision = entry.Revision,
        Sha256 = entry.Sha256,
        Url = entry.Url.ToString(),
        IntendedUse = entry.IntendedUse,
        ReceivedBytes = _store?.PartialBytes(entry),
    };

    public void Dispose() => _installer?.Dispose();
}
