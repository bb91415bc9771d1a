using System.Text.Json;
using Swin2SR.Core.Inference;

namespace Swin2SR.Core.Models;

/// <summary>
/// The folder installed models live in: <c>$SWIN2SR_MODEL_PATH</c>, else <c>Swin2SR/models</c> in the user's
/// local data folder. Layout: <c>name.onnx</c> (the model, only ever renamed into place whole),
/// <c>name.json</c> (where it came from and what was verified), and while a download is under way or can be
/// resumed, a hidden <c>.name.&lt;sha256 prefix&gt;.part</c>; while an installation runs, a hidden <c>.name.lock</c>.
/// A model that keeps its weights in files beside it (ONNX external data) is installed into a folder of its own,
/// <c>name/name.onnx</c> with the files under the names its graph gives (ONNX Runtime looks for them beside the
/// model, and two exports' graphs often name the same file, model.onnx.data), recorded in <c>name.json</c>; while
/// they download, hidden <c>.name.&lt;prefix&gt;.data.part</c> files. Such a model installed by a version before
/// folders of their own, its files directly in this folder, is read where it is and moved when installed again.
/// </summary>
public sealed class ModelStore
{
    public const string EnvironmentVariable = "SWIN2SR_MODEL_PATH";
    private const string ModelExtension = ".onnx";
    private const string RecordExtension = ".json";
    private const string PartExtension = ".part";
    private const string DataPartExtension = ".data.part";

    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    public ModelStore(string directory) => Directory = System.IO.Path.GetFullPath(directory);

    public string Directory { get; }

    /// <summary>The store of this user, or null where neither the variable nor a user data folder exists (a service without a profile).</summary>
    public static ModelStore? TryDefault() => TryDefault(out _);

    /// <summary>
    /// The store of this user, or null: with <paramref name="problem"/> saying why when the variable is set to a
    /// relative path, and null there too when neither the variable nor a user data folder exists.
    /// </summary>
    public static ModelStore? TryDefault(out string? problem)
    {
        problem = null;
        string? directory = DefaultDirectory(Environment.GetEnvironmentVariable, HomeDirectory);
        if (directory is null)
            return null;
        // Relative to what? The process's folder is not PowerShell's location, and differs between a shell and a
        // scheduled task: the same setting would install into one folder and look for models in another.
        if (!System.IO.Path.IsPathFullyQualified(directory))
        {
            problem = $"{EnvironmentVariable} is '{directory}', which is not a full path; set it to a full path (such as '{System.IO.Path.Combine(HomeDirectory() ?? "/srv", "models")}')";
            return null;
        }
        return new ModelStore(directory);
    }

    /// <param name="home">The user's home folder, which a leading ~ stands for (PowerShell expands it in paths, but not in a variable's value).</param>
    internal static string? DefaultDirectory(Func<string, string?> environment, Func<string?>? home = null)
    {
        string? configured = environment(EnvironmentVariable)?.Trim();
        if (!string.IsNullOrEmpty(configured))
            return ExpandHome(configured, home ?? HomeDirectory);
        string data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return string.IsNullOrEmpty(data) ? null : System.IO.Path.Combine(data, "Swin2SR", "models");
    }

    private static string ExpandHome(string path, Func<string?> home) =>
        (path == "~" || path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith(@"~\", StringComparison.Ordinal)) && home() is { Length: > 0 } folder
            ? System.IO.Path.Join(folder, path[1..].TrimStart('/', '\\'))
            : path;

    private static string? HomeDirectory() =>
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify) is { Length: > 0 } home ? home : null;

    /// <summary>
    /// The file that stands where this folder, or a folder above it, must be; null when there is none. Such a folder
    /// can never be created, which is no matter of permissions: the model folder itself is unusable.
    /// </summary>
    public string? BlockingFile()
    {
        for (string? path = Directory; path is not null; path = System.IO.Path.GetDirectoryName(path))
        {
            if (File.Exists(path))
                return path;
            if (System.IO.Directory.Exists(path))
                return null;
        }
        return null;
    }

    /// <summary>
    /// The installed model file of <paramref name="name"/>: in its own folder (a model with weights files beside
    /// it), else directly in this folder, where a model that is not installed would go without weights files.
    /// </summary>
    public string ModelPath(string name) => File.Exists(OwnFolderModelPath(name)) ? OwnFolderModelPath(name) : FolderModelPath(name);

    /// <summary>
    /// Where installing catalog model <paramref name="name"/> puts it: directly in this folder, or in a folder of its
    /// own where its graph keeps weights in other files, which only the downloaded model tells (the catalog does not).
    /// </summary>
    public (string WithoutDataFiles, string WithDataFiles) InstallPaths(string name) => (FolderModelPath(name), OwnFolderModelPath(name));

    private string FolderModelPath(string name) => System.IO.Path.Combine(Directory, CheckedName(name) + ModelExtension);

    private string OwnFolder(string name) => System.IO.Path.Combine(Directory, CheckedName(name));

    private string OwnFolderModelPath(string name) => System.IO.Path.Combine(OwnFolder(name), name + ModelExtension);

    /// <summary>Keyed by the expected digest, so a partial file is only ever resumed towards the same file.</summary>
    internal string PartPath(string name, string sha256) =>
        System.IO.Path.Combine(Directory, $".{CheckedName(name)}.{sha256[..16]}{PartExtension}");

    /// <summary>Held by the installation of <paramref name="name"/> that is running (<see cref="InstallClaim"/>).</summary>
    internal string LockPath(string name) => System.IO.Path.Combine(Directory, $".{CheckedName(name)}.lock");

    private string RecordPath(string name) => System.IO.Path.Combine(Directory, CheckedName(name) + RecordExtension);

    public bool IsInstalled(string name) => File.Exists(ModelPath(name));

    public InstalledModel? Find(string name)
    {
        var file = new FileInfo(ModelPath(name));
        return file.Exists ? Describe(file) : null;
    }

    /// <summary>
    /// ONNX files in the folder whose names are no model name (capitals, spaces: copied in by hand), which
    /// <see cref="Installed"/> leaves out; none when the folder does not exist.
    /// </summary>
    public IReadOnlyList<string> MisnamedFiles() => !System.IO.Directory.Exists(Directory) ? []
        : new DirectoryInfo(Directory).EnumerateFiles("*" + ModelExtension, new EnumerationOptions { MatchCasing = MatchCasing.CaseInsensitive })
            // "model.ONNX" is not found on Linux either, where file names are case-sensitive: a model is its name plus ".onnx".
            .Where(f => !f.Name.StartsWith('.') && (!ModelCatalog.IsValidName(System.IO.Path.GetFileNameWithoutExtension(f.Name))
                || (OperatingSystem.IsLinux() && !f.Name.EndsWith(ModelExtension, StringComparison.Ordinal))))
            .Select(f => f.FullName)
            .Order(StringComparer.Ordinal)
            .ToList();

    // A model uninstalled since its name was listed is left out.
    public IReadOnlyList<InstalledModel> Installed() => InstalledNames().Select(Find).OfType<InstalledModel>().ToList();

    /// <summary>
    /// The names of <see cref="Installed"/>, in order, without describing each model (its record, and the graph of
    /// one copied in without one): what tab completion and name wildcards need, on every key press.
    /// </summary>
    public IReadOnlyList<string> InstalledNames()
    {
        if (!System.IO.Directory.Exists(Directory))
            return [];
        var folder = new DirectoryInfo(Directory);
        var inFolder = folder.EnumerateFiles("*" + ModelExtension).Select(f => System.IO.Path.GetFileNameWithoutExtension(f.Name));
        var inOwnFolders = folder.EnumerateDirectories().Select(d => d.Name);
        return inFolder.Concat(inOwnFolders).Distinct(StringComparer.Ordinal)
            .Where(name => ModelCatalog.IsValidName(name) && IsInstalled(name))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Moves a verified download into place: the record first, then the weights files the model names, then the
    /// model by one rename, so a crash leaves either the old model or the new one, never a partial file under the
    /// model's name. A model with weights files goes into its own folder, one without directly into this folder;
    /// the model it replaces in the other place (an older version's layout), and weights files of the model it
    /// replaces that the new one does not name, are removed.
    /// </summary>
    internal InstalledModel Commit(CatalogEntry entry, string verifiedFile, DateTimeOffset installedAt, IReadOnlyList<VerifiedDataFile>? dataFiles = null)
    {
        dataFiles ??= [];
        string replaced = ModelPath(entry.Name);
        var replacedData = (ReadRecord(entry.Name)?.DataFiles ?? []).Select(d => Beside(replaced, d.Location)).ToList();
        string target = dataFiles.Count > 0 ? OwnFolderModelPath(entry.Name) : FolderModelPath(entry.Name);
        if (dataFiles.Count > 0)
            System.IO.Directory.CreateDirectory(OwnFolder(entry.Name));
        // A rename keeps the time of last write, so the record can hold the model file's own.
        var recorded = dataFiles.Select(d => new InstalledDataFile(d.Location, d.SizeBytes, d.Sha256, File.GetLastWriteTimeUtc(d.VerifiedPath))).ToList();
        WriteRecord(entry.Name, new InstallRecord(entry, installedAt, File.GetLastWriteTimeUtc(verifiedFile), recorded.Count > 0 ? recorded : null));
        foreach (var data in dataFiles)
            File.Move(data.VerifiedPath, Beside(target, data.Location), overwrite: true);
        File.Move(verifiedFile, target, overwrite: true);
        if (replaced != target)
            File.Delete(replaced);
        var kept = dataFiles.Select(d => Beside(target, d.Location)).ToHashSet(StringComparer.Ordinal);
        foreach (string stale in replacedData.Where(old => !kept.Contains(old)))
            File.Delete(stale);
        if (dataFiles.Count == 0)
            DeleteIfEmpty(OwnFolder(entry.Name));
        return Find(entry.Name)!;
    }

    // The folder of a model that no longer has weights files; one holding files someone put there is left alone.
    private static void DeleteIfEmpty(string folder)
    {
        if (System.IO.Directory.Exists(folder) && !System.IO.Directory.EnumerateFileSystemEntries(folder).Any())
            System.IO.Directory.Delete(folder);
    }

    /// <summary>Where the weights file <paramref name="location"/> of the installed model <paramref name="name"/> lies: beside it, where ONNX Runtime looks.</summary>
    public string DataFilePath(string name, string location) => Beside(ModelPath(name), location);

    private static string Beside(string modelPath, string location) =>
        ExternalDataFiles.Refusal(location) is { } refusal ? throw new ArgumentException($"the weights file {refusal}", nameof(location))
        : System.IO.Path.Combine(System.IO.Path.GetDirectoryName(modelPath)!, location);

    /// <summary>A downloaded weights file in the folder, checked against what the model's graph reads: where the installer left it.</summary>
    internal string DataPartPath(string name, string location) =>
        System.IO.Path.Combine(Directory, $".{CheckedName(name)}.{FileDigest.Sha256Text(location)[..16]}{DataPartExtension}");

    /// <summary>
    /// Why <paramref name="location"/> cannot be installed as a weights file of <paramref name="name"/> into the
    /// model's own folder: the name of the model file itself. Null when it can; other models' files lie elsewhere.
    /// </summary>
    internal static string? DataFileConflict(string name, string location) =>
        string.Equals(location, name + ModelExtension, StringComparison.OrdinalIgnoreCase)
            ? $"its weights file '{location}' would take the name of the model file itself"
            : null;

    /// <summary>
    /// How the installed model <paramref name="name"/> differs from the file verified when it was installed (its
    /// size, or its SHA-256), or its weights files from theirs (one missing, too); null when they are those files,
    /// and when no installation was recorded to compare it with (a model copied in by hand). A file is hashed only
    /// when its size or time of last write is not the one recorded; a file found whole after all (copied with a new
    /// time) has its new time recorded, so a scheduled run does not hash it every time.
    /// </summary>
    public string? ChangeSinceInstall(string name)
    {
        var file = new FileInfo(ModelPath(name));
        if (!file.Exists || ReadRecord(name) is not { Entry.Sha256: { } installedSha256 } record)
            return null;
        bool retimed = false;
        string? change = Difference(file, "it", record.Entry.SizeBytes, installedSha256, record.ModelWrittenAt, record.InstalledAt, ref retimed);
        var dataFiles = (record.DataFiles ?? []).ToList();
        for (int i = 0; i < dataFiles.Count && change is null; i++)
        {
            var data = dataFiles[i];
            var dataFile = new FileInfo(Beside(file.FullName, data.Location));
            bool dataRetimed = false;
            change = dataFile.Exists
                ? Difference(dataFile, $"its weights file '{data.Location}'", data.SizeBytes, data.Sha256, data.WrittenAt, record.InstalledAt, ref dataRetimed)
                : $"its weights file '{data.Location}' is missing ({dataFile.FullName})";
            if (dataRetimed)
                (dataFiles[i], retimed) = (data with { WrittenAt = dataFile.LastWriteTimeUtc }, true);
        }
        if (change is null && retimed)
            TryWriteRecord(name, record with { ModelWrittenAt = file.LastWriteTimeUtc, DataFiles = record.DataFiles is null ? null : dataFiles });
        return change;
    }

    /// <summary>
    /// The day, as yyyy-MM-dd reads, in the Gregorian calendar: the current culture's is another under fa-IR (1405-09-16
    /// for 2026-12-07), ar-SA or th-TH (2569-12-07), and the message would give a year centuries off.
    /// </summary>
    private static string Day(DateTimeOffset time) => time.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <param name="retimed">Set when the file was hashed and found whole: its new time of last write is to be recorded.</param>
    private static string? Difference(FileInfo file, string subject, long? installedSize, string installedSha256, DateTime? writtenAt, DateTimeOffset installedAt, ref bool retimed)
    {
        if (installedSize is long size && file.Length != size)
            return $"{subject} has {file.Length:N0} bytes, but the file installed on {Day(installedAt)} had {size:N0}";
        if (writtenAt == file.LastWriteTimeUtc)
            return null;
        string sha256 = FileDigest.Sha256(file.FullName);
        if (sha256 != installedSha256)
            return $"{subject} has SHA-256 {sha256}, but the file installed on {Day(installedAt)} had {installedSha256}";
        retimed = true;
        return null;
    }

    /// <summary>
    /// <see cref="ChangeSinceInstall"/> for a model given by its path, where that path is a model of this store
    /// (a job records its model's path; a model elsewhere was never installed here); null otherwise.
    /// </summary>
    public string? ChangeSinceInstallAt(string modelPath)
    {
        string name = System.IO.Path.GetFileNameWithoutExtension(modelPath);
        return ModelCatalog.IsValidName(name) && string.Equals(System.IO.Path.GetFullPath(modelPath), ModelPath(name), StringComparison.Ordinal)
            ? ChangeSinceInstall(name)
            : null;
    }

    /// <summary>
    /// Where the model a job recorded at <paramref name="modelPath"/> lies now, when that path is one of this store's
    /// two places for a model (directly in the folder, or in its own) and installing it again moved it to the other
    /// (a model that gained or lost weights files, or one installed by a version before folders of their own); null
    /// otherwise.
    /// </summary>
    public string? MovedModelPath(string modelPath)
    {
        string name = System.IO.Path.GetFileNameWithoutExtension(modelPath);
        if (!ModelCatalog.IsValidName(name))
            return null;
        string full = System.IO.Path.GetFullPath(modelPath);
        bool ours = string.Equals(full, FolderModelPath(name), StringComparison.Ordinal) || string.Equals(full, OwnFolderModelPath(name), StringComparison.Ordinal);
        string now = ModelPath(name);
        return ours && now != full && File.Exists(now) ? now : null;
    }

    private void WriteRecord(string name, InstallRecord record)
    {
        string path = RecordPath(name);
        string temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(record, s_json));
        File.Move(temp, path, overwrite: true);
    }

    // Only saves hashing the next time: a folder the user may read but not write still runs its models.
    private void TryWriteRecord(string name, InstallRecord record)
    {
        try
        {
            WriteRecord(name, record);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Removes partial downloads of <paramref name="name"/> other than <paramref name="keep"/> (left by an older catalog).</summary>
    internal void DeleteOtherParts(string name, string keep)
    {
        foreach (var part in Parts(name))
        {
            if (!string.Equals(part.FullName, keep, StringComparison.Ordinal))
                part.Delete();
        }
    }

    /// <summary>
    /// The bytes that an interrupted download of <paramref name="entry"/> left in the folder, which the next
    /// installation resumes from; null when there are none. With the catalog's SHA-256 only the partial file of
    /// that digest counts (the installer deletes the others); without it the digest is the server's, learned when
    /// the installation starts, so the largest partial file of the name stands for it.
    /// </summary>
    public long? PartialBytes(CatalogEntry entry)
    {
        string? expected = entry.Sha256 is { } sha256 ? PartPath(entry.Name, sha256) : null;
        long bytes = Parts(entry.Name)
            .Where(part => expected is null || string.Equals(part.FullName, expected, StringComparison.Ordinal))
            .Select(part => part.Length)
            .DefaultIfEmpty(0)
            .Max();
        // An empty file (stopped before the first byte) saves nothing.
        return bytes > 0 ? bytes : null;
    }

    // The 16 digits of PartPath exactly: model names may hold dots, and ".m-x2.*.part" matches m-x2.b's files too.
    private IEnumerable<FileInfo> Parts(string name, string extension = PartExtension) => !System.IO.Directory.Exists(Directory) ? []
        : new DirectoryInfo(Directory).EnumerateFiles($".{CheckedName(name)}.{new string('?', 16)}{extension}");

    /// <summary>
    /// Removes the model <paramref name="name"/>: its file, the weights files recorded with it or kept in its own
    /// folder, its record, that folder once empty, and partial downloads of it; returns the files removed, none when
    /// nothing of it is here. Done under the installation's claim, so an installation running now is not cut short
    /// (<see cref="ModelInstallError.InProgress"/>); a file that cannot be deleted is <see cref="ModelInstallError.WriteFailed"/>.
    /// </summary>
    public IReadOnlyList<string> Uninstall(string name)
    {
        var files = FilesOf(name);
        if (files.Count == 0)
            return [];
        using var claim = InstallClaim.Take(name, LockPath(name));
        files = FilesOf(name); // an installation that held the claim may have changed them
        foreach (string file in files)
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ModelInstallException(ModelInstallError.WriteFailed, name, $"cannot delete '{file}': {e.Message}", e);
            }
        }
        DeleteIfEmpty(OwnFolder(name));
        return files;
    }

    /// <summary>The files <see cref="Uninstall"/> would remove now; none when nothing of <paramref name="name"/> is here.</summary>
    public List<string> FilesOf(string name)
    {
        var files = new List<string>();
        if (Find(name) is { } model)
        {
            files.Add(model.Path);
            // A copied-in model in this folder without a record may name a weights file that another copied-in model uses: left there.
            bool ownWeights = ReadRecord(name) is { DataFiles: not null } || model.Path != FolderModelPath(name);
            files.AddRange(ownWeights ? model.DataFiles.Where(File.Exists) : []);
        }
        if (File.Exists(RecordPath(name)))
            files.Add(RecordPath(name));
        files.AddRange(Parts(name).Concat(Parts(name, DataPartExtension)).Select(part => part.FullName));
        return files;
    }

    private InstalledModel Describe(FileInfo file)
    {
        string name = System.IO.Path.GetFileNameWithoutExtension(file.Name);
        var record = ReadRecord(name);
        return new InstalledModel(name, file.FullName, file.Length, record?.Entry, record?.InstalledAt,
            // A copied model has no record; its metadata may say its scale.
            record?.Entry?.Scale ?? ModelContract.StatedScale(file.FullName))
        {
            DataFiles = record?.DataFiles is { } recorded ? recorded.Select(d => Beside(file.FullName, d.Location)).ToList() : NamedDataFiles(file.FullName),
        };
    }

    // A model copied in by hand, or installed before weights files were recorded, says which it uses in its graph.
    private IReadOnlyList<string> NamedDataFiles(string modelPath)
    {
        try
        {
            return ExternalDataFiles.Read(modelPath).Select(d => Beside(modelPath, d.Location)).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or RefusedLocationException)
        {
            return []; // a run of it says what is wrong
        }
    }

    // A missing or damaged record only loses the provenance: the model file itself is still usable.
    private InstallRecord? ReadRecord(string name)
    {
        try
        {
            var record = JsonSerializer.Deserialize<InstallRecord>(File.ReadAllText(RecordPath(name)), s_json);
            // A record edited to name a weights file outside the folder is no record of an installation.
            return record?.DataFiles?.Any(d => ExternalDataFiles.Refusal(d.Location) is not null) == true ? null : record;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    private static string CheckedName(string name) =>
        ModelCatalog.IsValidName(name) ? name : throw new ArgumentException($"'{name}' is not a valid model name", nameof(name));

    /// <param name="ModelWrittenAt">The model file's time of last write when it was last found to be the verified file; null in records written before it was kept.</param>
    /// <param name="DataFiles">The weights files the model's graph names (ONNX external data); null for a model that keeps its weights inside.</param>
    private sealed record InstallRecord(CatalogEntry Entry, DateTimeOffset InstalledAt, DateTime? ModelWrittenAt, IReadOnlyList<InstalledDataFile>? DataFiles = null);

    /// <param name="WrittenAt">Its time of last write when it was last found to be the verified file.</param>
    private sealed record InstalledDataFile(string Location, long SizeBytes, string Sha256, DateTime WrittenAt);
}
