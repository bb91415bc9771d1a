using System.Management.Automation;
using Swin2SR.Core.Imaging;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Devices;
using Swin2SR.Core.Jobs;
using Swin2SR.Core.Models;
using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Quality;

namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// The bridge between the upscaling cmdlets and the engine: one job run by this process. All engine types stay
/// inside this class, so no cmdlet's public surface (loaded in PowerShell's context) names a type from the
/// module's private context; everything handed back is a PowerShell-side object.
/// </summary>
internal sealed class UpscaleRun : IDisposable
{
    private readonly IJobStore _store;
    private readonly IReadOnlyList<ITileRunner> _devices;
    private readonly JobRunner _runner;
    private readonly CancellationTokenSource _cancellation;
    private readonly TerminationSignals _signals;

    private readonly long _jobId;

    private UpscaleRun(IJobStore store, IReadOnlyList<ITileRunner> devices, JobRunner runner, CancellationTokenSource cancellation, JobRecord job, int total,
        string modelPath, int scale)
    {
        _store = store;
        _devices = devices;
        _runner = runner;
        _cancellation = cancellation;
        _jobId = job.Id;
        JobName = job.Name;
        Total = total;
        ModelName = Path.GetFileNameWithoutExtension(modelPath);
        Scale = scale;
        _signals = TerminationSignals.Guard(this);
    }

    public string JobName { get; }

    /// <summary>The job's name as an argument of a command a message suggests (a job may be named o'brien).</summary>
    public string JobNameArgument => Completion.CompletionArgument.Quoted(JobName);
    public int Total { get; }
    public string ModelName { get; }
    public int Scale { get; }
    public string StoreLocation => _store.Location;

    /// <summary>What the commands in the run's messages add to find its job: see <see cref="JobStoreTarget.Argument"/>.</summary>
    public string StoreArgument { get; set; } = "";
    public bool StoppedByRequest => _runner.StoppedByRequest;

    /// <summary>The images in flight, each counted as the share of its tiles done: progress within a long image.</summary>
    public double ImagesInFlight => _runner.ImagesInFlight;

    /// <summary>The input files of the images being upscaled, the one begun first first.</summary>
    public IReadOnlyList<string> InputsInFlight => _runner.InputsInFlight;

    private long _bytesCountedOn;

    /// <summary>The time remaining by the run's work in input bytes (see <see cref="WorkBytes"/>); null before any is done, or when no size is known.</summary>
    public TimeSpan? Remaining(TimeSpan elapsed) => _runner.Work(_bytesCountedOn).Remaining(elapsed);

    /// <summary>How many results the run has in hand or underway: more than <see cref="Total"/> once other runs handed it their inputs.</summary>
    public int ImagesTakenUp => _runner.ItemsTakenUp;

    /// <summary>
    /// True when the job is no longer in the store, or a new job of that name took its place: Remove-Swin2SRJob -Force
    /// deleted it while this run worked on it. The run then ends early, as its next claim finds nothing, which would
    /// otherwise read like a job done. Asked once the run is over; a store that cannot answer now counts as not removed.
    /// </summary>
    public bool JobRemoved
    {
        get
        {
            try
            {
                return _store.FindJob(JobName)?.Id != _jobId;
            }
            catch (JobStoreException)
            {
                return false;
            }
        }
    }
    public OutputDiskStop? StoppedForOutputDisk => _runner.StoppedForOutputDisk;

    private static ModelLocator Locator => ModelManager.CreateLocator();

    public static IReadOnlyList<string> ModelNames() => Locator.KnownNames();

    public static string ResolveModel(string? model, int? scale)
    {
        try
        {
            return Locator.Resolve(model, scale);
        }
        catch (ModelLoadException e)
        {
            throw new SetupFailedException(ModelNotFound(e, model));
        }
    }

    internal static ErrorRecord ModelNotFound(Exception e, string? model) => ErrorRecords.WithAction(e, "ModelNotFound", ErrorCategory.ObjectNotFound, model,
        "Get-Swin2SRModel lists the models by name and Install-Swin2SRModel installs one; -Model also takes the path of an .onnx file.");

    public static string NewJobName() => JobNames.Generate();

    /// <summary>Invoke: adds the inputs to the job (creating it if new) and starts working on its pending items.</summary>
    public static UpscaleRun StartInvoke(JobStoreTarget target, string jobName, string modelPath, IReadOnlyList<string> inputs, string? outputDirectory, UpscaleSettings settings,
        string[]? pathMap, DeviceChoice devices)
    {
        // Recorded as the job's other options are, the last Invoke's winning: Resume goes on with them.
        var options = devices.RecordIn(ToJobOptions(modelPath, outputDirectory, settings));
        var paths = ResolvePathMap(pathMap);
        string hash = options.OutputHash();
        string signature = Signature(options, hash, devices, paths);
        return Start(OpenStore(target, target.RunAccess), paths, devices, options, (store, scale) =>
        {
            var (job, alreadyDone, added) = JobPlanner.AddInputs(store, jobName, options, inputs, hash, settings.RetryFailed, settings.ListedRoot);
            var skipped = JobPlanner.AlreadyDoneResults(store, job, alreadyDone, modelPath, scale)
                .Concat(JobPlanner.FailedBeforeResults(job, added.FailedBefore, modelPath, scale)).ToList();
            // Items left Pending by an earlier, interrupted run of this job are worked on too.
            var summary = store.Summarize(job, _ => false);
            // Asked only now that the inputs are committed: the handshake of JobHandOff.
            string? leftToOthers = summary.Pending > 0 && JobHandOff.RunTakingNewItems(store, job.Id, signature) is { } taker
                ? HandedOver(job.Name, added.Added + added.Requeued, summary.Pending, taker, target.Argument)
                : JobPlanner.LiveRunsHoldingTheRest(store, job, summary) is { } runs ? LeftToOtherRuns(summary.Running, runs) : null;
            return (job, skipped, skipped.Count + (int)(summary.Pending + summary.Running), summary.BytesLeft, leftToOthers);
        }, modelPath, hash, signature,
            // The tiling works where the job already ran with this model and tiling, or where a run with them works on it
            // now (which may take this run's inputs): the inputs may then be added before the model loads, and a rerun
            // with nothing new, or whose inputs another run takes, loads none. A -TileSize the job has not run with is
            // checked first.
            store => JobPlanner.SucceededBefore(store, jobName, hash) || JobHandOff.RunTakesNewItems(store, jobName, signature));
    }

    private static string LeftToOtherRuns(long running, IReadOnlyList<WorkerRecord> runs) =>
        $"The job's other {running} {(running == 1 ? "image is" : "images are")} being upscaled by another run "
        + $"({string.Join(", ", runs.Select(w => $"{w.Host}:{w.ProcessId}"))}): this run leaves them to it and ends, with nothing new of its own.";

    /// <param name="fresh">The inputs this run added or queued again.</param>
    /// <param name="pending">The job's images waiting: the other run's own too, and those an earlier run left to it.</param>
    private static string HandedOver(string jobName, int fresh, long pending, WorkerRecord taker, string storeArgument)
    {
        string what = fresh > 0 ? $"this run handed it its {fresh} new {(fresh == 1 ? "image" : "images")}"
            : $"this run, with no new image of its own, leaves it the job's {pending} {(pending == 1 ? "image" : "images")} waiting";
        return $"Job '{jobName}' is being upscaled by another run on this computer ({taker.Host}:{taker.ProcessId}) with the same options and devices: "
            + $"{what} and ends without loading a model of its own. "
            + $"Get-Swin2SRJob {Completion.CompletionArgument.Quoted(jobName)}{storeArgument} shows their progress.";
    }

    /// <summary>How this run works on items, for runs of this host to hand it their new inputs (see <see cref="JobHandOff"/>).</summary>
    /// <param name="outputHash">The options' <see cref="JobOptions.OutputHash"/> with the model this run loads.</param>
    private static string Signature(JobOptions options, string outputHash, DeviceChoice devices, PathMap paths) =>
        JobHandOff.Signature(options, outputHash, Enum.Parse<DeviceKind>(devices.Kind, ignoreCase: true), devices.Ids, devices.Precision, paths);

    /// <summary>
    /// Invoke -QueueOnly: records the job, its devices too, and its inputs for workers to Resume (here or on other hosts). The inputs it
    /// leaves failed, unchanged since they failed, are said in <paramref name="leftFailed"/> as a run says them.
    /// </summary>
    public static Swin2SRJobInfo Queue(JobStoreTarget target, string jobName, string modelPath, IReadOnlyList<string> inputs, string? outputDirectory, UpscaleSettings settings,
        DeviceChoice devices, out string? leftFailed)
    {
        using var queries = JobStoreQueries.OpenToRecord(target);
        leftFailed = queries.Record(jobName, devices.RecordIn(ToJobOptions(modelPath, outputDirectory, settings)), inputs, settings.RetryFailed, settings.ListedRoot);
        return queries.Summary(jobName);
    }

    /// <summary>
    /// The outputs a run of <paramref name="jobName"/> will plan for these inputs (<see cref="JobPlanner.PlanOutputs"/>),
    /// for -WhatIf, -Confirm and the output-folder check: below the root the job recorded, an already-done output kept
    /// where it is. The store is only read; a job not there yet plans as a new one. Null: no job, no -OutputDirectory or no
    /// store yet, where the listing alone decides.
    /// </summary>
    public static IReadOnlyList<UpscaleItem>? PlanInJob(JobStoreTarget target, string? jobName, string modelPath, IReadOnlyList<string> inputs,
        string? outputDirectory, UpscaleSettings settings)
    {
        if (jobName is null || outputDirectory is null)
            return null;
        try
        {
            // Opened as Get-Swin2SRJob opens it: an older schema is upgraded (a schema read as it is may lack what the plan
            // reads), no job or item is written.
            using var store = target.OpenExisting(JobStoreAccess.Query);
            return JobPlanner.PlanOutputs(store, jobName, ToJobOptions(modelPath, outputDirectory, settings), inputs, settings.ListedRoot);
        }
        catch (JobStoreException e) when (e.ErrorId == Core.Jobs.Sqlite.SqliteJobStore.NotFoundErrorId)
        {
            // A store the run is to create: its job is new.
            return null;
        }
        catch (JobStoreException e)
        {
            throw StoreFailure(e, target.Display);
        }
    }

    private static JobOptions ToJobOptions(string modelPath, string? outputDirectory, UpscaleSettings settings) =>
        new()
        {
            ModelPath = modelPath,
            OutputDirectory = outputDirectory,
            Format = settings.Format,
            Quality = settings.Quality,
            TileSize = settings.TileSize,
            TileOverlap = settings.TileOverlap,
            BatchSize = settings.BatchSize,
            Force = settings.Force,
            MaxInputMegapixels = settings.MaxInputMegapixels ?? ImageLimits.DefaultMaxInputMegapixels,
            MaxOutputMegapixels = settings.MaxOutputMegapixels ?? ImageLimits.DefaultMaxOutputMegapixels,
            AlphaMode = Enum.Parse<AlphaMode>(settings.AlphaMode, ignoreCase: true),
            MinConsistencyPsnr = settings.MinConsistencyPsnr ?? QualityGate.DefaultMinConsistencyPsnr,
            KeepRejectedDirectory = settings.KeepRejected,
            KeepPrintSize = settings.KeepPrintSize,
        };

    /// <summary>Resume: continues a job with its recorded options; -RetryFailed queues its failed items again.</summary>
    /// <param name="pathMap">from=to pairs mapping the items' recorded paths (and the recorded model's) to this host's.</param>
    /// <returns>Null when the job has nothing left to do: no model is loaded for it, so a finished job resumes without
    /// error even when its model is gone since.</returns>
    /// <param name="asked">Resume's -Device, -DeviceId and -Precision: those not given are the job's recorded ones.</param>
    public static UpscaleRun? StartResume(JobStoreTarget target, string jobName, bool retryFailed, string[]? pathMap, DeviceRequest asked)
    {
        var paths = ResolvePathMap(pathMap);
        // Resuming needs a job, so a store that does not exist is not created: the job is not found.
        var opened = OpenExistingStore(target, target.RunAccess) ?? throw JobNotFound(jobName, target.Display, storeExists: false);
        JobRecord job;
        string modelPath;
        try
        {
            // The model to load is in the job's record, so the job is read before the run starts.
            job = FindJob(opened, jobName);
            if (NothingLeft(opened, job, retryFailed))
            {
                opened.Dispose();
                return null;
            }
            modelPath = paths.Map(job.Options.ModelPath);
            if (!File.Exists(modelPath) && ModelStore.TryDefault()?.MovedModelPath(modelPath) is { } moved)
                modelPath = moved;
            // Checked before loading: a missing model is this job's error, not the command's (jobs piped after it
            // are still resumed), and the job's model is to be put back, not another one given.
            if (!File.Exists(modelPath))
                throw JobModelMissing(job.Name, modelPath);
            RequireWritableOutputFolders(opened, job, retryFailed, paths, target.Argument);
        }
        catch
        {
            opened.Dispose();
            throw;
        }
        var devices = asked.Over(job);
        // Runs of this host that would work on the job's items as this one does may hand it their inputs too.
        string hash = (job.Options with { ModelPath = modelPath }).OutputHash();
        string signature = Signature(job.Options, hash, devices, paths);
        return Start(opened, paths, devices, job.Options, (store, _) =>
        {
            if (retryFailed)
                store.RequeueFailed(job.Id);
            var refreshed = store.CreateOrUpdateJob(job.Name, job.Options);
            var summary = store.Summarize(refreshed, _ => false);
            return (refreshed, Array.Empty<UpscaleResult>(), (int)(summary.Pending + summary.Running), summary.BytesLeft, null);
        }, modelPath, hash, signature);
    }

    /// <summary>
    /// A job whose outputs cannot be written here is not run: its images stay Pending, for a Resume once the folder
    /// is writable, instead of each failing after it was computed. Not terminating: jobs piped after it are resumed.
    /// </summary>
    private static void RequireWritableOutputFolders(IJobStore store, JobRecord job, bool retryFailed, PathMap paths, string storeArgument)
    {
        IReadOnlyCollection<ItemStatus> waiting = retryFailed ? [ItemStatus.Pending, ItemStatus.Failed] : [ItemStatus.Pending];
        IReadOnlyList<ItemRecord> items;
        try
        {
            items = store.Items(job.Id, waiting);
        }
        catch (JobStoreException e)
        {
            throw StoreFailure(e, store.Location);
        }
        var refused = OutputFolderCheck.Refusals(items.Select(item => paths.Map(item.OutputPath)));
        if (refused.Count == 0)
            return;
        string others = refused.Count == 1 ? "" : $" ({refused.Count - 1} other output {(refused.Count == 2 ? "folder" : "folders")} of the job cannot be written either)";
        string resume = $"Resume-Swin2SRJob {Completion.CompletionArgument.Quoted(job.Name)}{storeArgument}{(retryFailed ? " -RetryFailed" : "")}";
        throw new SetupFailedException(OutputFolderCheck.Record(refused[0].Refusal, refused[0].Outputs,
            $"job '{job.Name}' was not run, and its images wait as they were{others}", $"run {resume} again"), terminating: false);
    }

    /// <summary>No item pending or held by a worker (and, with -RetryFailed, none failed): a resume would run nothing.</summary>
    private static bool NothingLeft(IJobStore store, JobRecord job, bool retryFailed)
    {
        try
        {
            var summary = store.Summarize(job, _ => false);
            return summary.Pending + summary.Running == 0 && (!retryFailed || summary.Failed == 0);
        }
        catch (JobStoreException e)
        {
            throw StoreFailure(e, store.Location);
        }
    }

    /// <summary>Not terminating, as <see cref="JobNotFound"/>: a command given several jobs goes on with the others.</summary>
    private static SetupFailedException JobModelMissing(string jobName, string modelPath) => new(ErrorRecords.WithAction(
        new FileNotFoundException($"Job '{jobName}' was started with the model '{modelPath}', which does not exist.", modelPath),
        "ModelNotFound", ErrorCategory.ObjectNotFound, modelPath,
        "Put the model back at that path (Install-Swin2SRModel for a catalog model), give -PathMap when this computer sees its folder " +
        $"elsewhere, or run Invoke-Swin2SRUpscale -JobName '{jobName}' again with a model that exists (which redoes the job's images with it)."),
        terminating: false);

    internal static PathMap ResolvePathMap(string[]? pairs)
    {
        try
        {
            return PathMap.Resolve(pairs);
        }
        catch (ArgumentException e)
        {
            throw new SetupFailedException(new ErrorRecord(e, "InvalidPathMap", ErrorCategory.InvalidArgument, pairs ?? (object?)Environment.GetEnvironmentVariable(PathMap.EnvironmentVariable)));
        }
    }

    internal static JobRecord FindJob(IJobStore store, string jobName)
    {
        try
        {
            return store.FindJob(jobName) ?? throw JobNotFound(jobName, store.Location, storeExists: true);
        }
        catch (JobStoreException e)
        {
            throw StoreFailure(e, store.Location);
        }
    }

    /// <summary>Not terminating: a command given several jobs goes on with the others.</summary>
    /// <param name="storeExists">False: the default store, which nothing has been run with yet.</param>
    internal static SetupFailedException JobNotFound(string jobName, string location, bool storeExists) =>
        new(new ErrorRecord(new ItemNotFoundException(storeExists
                ? $"There is no job named '{jobName}' in the job store '{location}'."
                : $"There is no job named '{jobName}': the job store '{location}' does not exist yet, as no job has been run with it."),
            "JobNotFound", ErrorCategory.ObjectNotFound, jobName), terminating: false);

    /// <param name="store">Opened for the run, which owns it from here on.</param>
    /// <param name="options">The options the run will have: an impossible tiling is refused before <paramref name="prepare"/> touches the job.</param>
    /// <param name="prepare">Adds the run's inputs to the job, given the model's scale: the job, the inputs already done, how many items the run
    /// has in all, and why it leaves those not done to other runs (null: it works on them).</param>
    /// <param name="outputHash">What the run's outputs are made with (<see cref="JobOptions.OutputHash"/>, this host's model), recorded with its outcomes.</param>
    /// <param name="signature">How the run works on items (<see cref="JobHandOff.Signature"/>): runs of this host with the same one may hand it their inputs.</param>
    /// <param name="tilingProven">Whether the job already ran with this model and tiling (<see cref="JobPlanner.SucceededBefore"/>), or a run
    /// with them works on it now.</param>
    private static UpscaleRun Start(IJobStore store, PathMap paths, DeviceChoice choice, JobOptions options,
        Func<IJobStore, int, (JobRecord Job, IReadOnlyList<UpscaleResult> AlreadyDone, int Total, long Bytes, string? LeftToOthers)> prepare, string modelPath,
        string outputHash, string signature, Func<IJobStore, bool>? tilingProven = null)
    {
        IReadOnlyList<ITileRunner> devices = [];
        var cancellation = new CancellationTokenSource();
        try
        {
            (JobRecord Job, IReadOnlyList<UpscaleResult> AlreadyDone, int Total, long Bytes, string? LeftToOthers)? prepared = null;
            if (tilingProven?.Invoke(store) == true && ModelContract.StatedScale(modelPath) is int scale)
            {
                prepared = prepare(store, scale);
                // A scheduled run over a folder where nothing new arrived (or whose new images an earlier run still
                // works on): no model to load, no device to warn about.
                var (proven, done, all, _, leftToOthers) = prepared.Value;
                if (all == done.Count || leftToOthers is not null)
                    return new UpscaleRun(store, [], JobRunner.Finished(store, proven, done), cancellation, proven, done.Count, modelPath, scale)
                    {
                        _deviceWarnings = new(WithFailedBeforeNote(leftToOthers is null ? [] : [leftToOthers], proven, done)),
                    };
            }
            (devices, var warnings) = OpenDevices(modelPath, choice);
            // An impossible tiling is a setup error, found before the job is changed: a typo in -TileSize must not
            // requeue a finished job's items under options that can never run.
            TileGeometry.Resolve(options.ToUpscaleOptions(), devices[0].Contract);
            var (job, alreadyDone, total, bytes, _) = prepared ?? prepare(store, devices[0].Contract.Scale);
            var runner = JobRunner.Start(store, job, devices, alreadyDone, cancellation.Token, paths: paths, accepts: signature, outputHash: outputHash);
            string?[] batchWarnings = [devices[0].Contract.UnusedBatchSize(options.BatchSize),
                CpuBatchMemory.Warning(devices, options.ToUpscaleOptions())];
            var setupWarnings = warnings.Concat(batchWarnings.OfType<string>());
            return new UpscaleRun(store, devices, runner, cancellation, job, total, modelPath, devices[0].Contract.Scale)
            {
                _bytesCountedOn = bytes,
                _deviceWarnings = new(WithFailedBeforeNote(setupWarnings, job, alreadyDone)),
            };
        }
        catch (Exception e)
        {
            foreach (var device in devices)
                device.Dispose();
            store.Dispose();
            cancellation.Dispose();
            throw e switch
            {
                JobStoreException s => StoreFailure(s, store.Location),
                InvalidTilingException t => TilingFailure(t),
                _ => e,
            };
        }
    }

    /// <summary>
    /// Refuses a -TileSize or -TileOverlap that does not fit the window the model file states, before anything else
    /// (the -WhatIf and -Confirm questions included): a run finds it only once it has loaded the model.
    /// </summary>
    public static void CheckTiling(string modelPath, string? outputDirectory, UpscaleSettings settings)
    {
        try
        {
            TileGeometry.CheckStated(modelPath, ToJobOptions(modelPath, outputDirectory, settings).ToUpscaleOptions());
        }
        catch (InvalidTilingException e)
        {
            throw TilingFailure(e);
        }
    }

    private static SetupFailedException TilingFailure(InvalidTilingException e) =>
        new(ErrorRecords.WithAction(e, "InvalidTiling", ErrorCategory.InvalidArgument, e.Value,
            "Get-Help Invoke-Swin2SRUpscale -Parameter TileSize, TileOverlap says which values a model takes."));

    private static IEnumerable<string> WithFailedBeforeNote(IEnumerable<string> warnings, JobRecord job, IReadOnlyList<UpscaleResult> reported) =>
        JobPlanner.FailedBeforeNote(job, reported.Count(r => r.Error?.ErrorId == JobPlanner.FailedBeforeId)) is { } note ? warnings.Append(note) : warnings;

    /// <summary>Sessions on the chosen devices (-Device, -DeviceId, -Precision).</summary>
    private static (IReadOnlyList<ITileRunner> Runners, IReadOnlyList<string> Warnings) OpenDevices(string modelPath, DeviceChoice choice)
    {
        RequireUnchangedSinceInstall(modelPath);
        var selection = new DeviceSelection(Enum.Parse<DeviceKind>(choice.Kind, ignoreCase: true), choice.Ids)
        {
            Cache = OptimizedGraphCache.TryDefault(),
            Precision = choice.Precision,
        };
        try
        {
            var opened = selection.Open(modelPath);
            return (opened.Runners, opened.Warnings);
        }
        catch (ModelLoadException e)
        {
            throw ModelLoadFailed(e, modelPath);
        }
        catch (DeviceUnavailableException e)
        {
            // A device the job recorded (on another computer, perhaps) is that job's problem, as its missing model is:
            // the jobs piped after it are still resumed. One the command line asked for is the command's.
            throw new SetupFailedException(ErrorRecords.WithAction(e, "DeviceUnavailable", ErrorCategory.ResourceUnavailable, choice.Kind,
                "Get-Swin2SRDevice says which GPUs can be used and why not; -Device Cpu (or Auto) runs on the CPU." + choice.RecordedNote),
                terminating: choice.RecordedNote.Length == 0);
        }
    }

    /// <summary>
    /// An installed model whose file was copied over or damaged after it was verified is not that model, whatever
    /// it computes: Invoke and Resume (which runs the path its job recorded) refuse it alike.
    /// </summary>
    private static void RequireUnchangedSinceInstall(string modelPath)
    {
        if (ModelStore.TryDefault()?.ChangeSinceInstallAt(modelPath) is not { } change)
            return;
        string name = Path.GetFileNameWithoutExtension(modelPath);
        throw new SetupFailedException(ErrorRecords.WithAction(
            new InvalidDataException($"Model '{modelPath}' changed after Install-Swin2SRModel installed it: {change}."),
            "ModelChanged", ErrorCategory.InvalidData, modelPath,
            $"Run Install-Swin2SRModel {name} to install it again (its job's images wait as they are), or give a model under another name to -Model."));
    }

    /// <summary>For a run that records jobs: a store that does not exist is created.</summary>
    internal static IJobStore OpenStore(JobStoreTarget target, JobStoreAccess access) => Guard(target, () => target.Open(access));

    /// <summary>The model cannot work: as it loads, or at its first tile (a wrong "scale" in its metadata).</summary>
    private static SetupFailedException ModelLoadFailed(ModelLoadException e, string modelPath) =>
        new(ErrorRecords.WithAction(e, "ModelLoadFailed", ErrorCategory.InvalidData, modelPath,
            e.Recommendation ?? "Give a whole ONNX export of a Swin2SR-style model: input [batch, 3, height, width], output [batch, 3, scale*height, scale*width]."));

    /// <summary>For a command that needs jobs: no store is created; null when the default store does not exist yet.</summary>
    internal static IJobStore? OpenExistingStore(JobStoreTarget target, JobStoreAccess access) => Guard(target, () => target.OpenExisting(access));

    private static T Guard<T>(JobStoreTarget target, Func<T> open)
    {
        try
        {
            return open();
        }
        catch (JobStoreException e)
        {
            throw StoreFailure(e, target.Display);
        }
    }

    /// <param name="location">The store as it may be shown: never with a password.</param>
    internal static SetupFailedException StoreFailure(JobStoreException e, string location) =>
        new(StoreErrorRecord(e, location));

    private static ErrorRecord StoreErrorRecord(JobStoreException e, string location)
    {
        var (category, action) = e.ErrorId switch
        {
            "JobStoreReadOnly" or "JobStoreAccessDenied" => (ErrorCategory.PermissionDenied, "Check the permissions of the store (for a file, of its folder too; for PostgreSQL, the user name, its password and the server's pg_hba.conf), or give -JobStore another one ($env:SWIN2SR_JOBSTORE in a scheduled task's or a service's environment)."),
            "JobStoreNotFound" => (ErrorCategory.ObjectNotFound, "Check the path; Invoke-Swin2SRUpscale creates a store on its first run."),
            "JobStoreInvalid" => (ErrorCategory.InvalidArgument, "Give -JobStore a file path or a PostgreSQL connection string (Host=...;Database=...;Username=...)."),
            "CredentialNotApplicable" => (ErrorCategory.InvalidArgument, "Leave out -Credential for a SQLite job store; it is the login of a PostgreSQL one (Host=...;Database=...;Username=...)."),
            "JobStoreCorrupt" => (ErrorCategory.ResourceUnavailable, "Move the file away (a new store starts empty) or restore it from a backup."),
            "JobStoreLocked" => (ErrorCategory.ResourceUnavailable, "Another process holds the store: try again, or give this run a -JobStore of its own."),
            "JobStoreFull" => (ErrorCategory.WriteError, "Free some space on the disk of the store; then Resume-Swin2SRJob continues the job (the images whose outcome could not be journaled are done again)."),
            "JobStoreTooNew" => (ErrorCategory.ResourceUnavailable, "Update the module: a newer version wrote this store."),
            // A SQLite file's folder that cannot be made (a file in its place, a path under /proc): nothing about servers.
            "JobStoreUnavailable" when !JobStores.IsPostgres(location) => (ErrorCategory.ResourceUnavailable, "Check the path: its folders must exist or be ones this account can create, and hold no file of the same name; or give -JobStore another one."),
            "JobStoreUnavailable" => (ErrorCategory.ResourceUnavailable, "Check that the server runs and can be reached from here, and that the database and the SSL settings of the connection string are the server's (docs/several-machines.md)."),
            "JobStoreTooManyConnections" => (ErrorCategory.ResourceUnavailable, "Raise max_connections in the server's postgresql.conf (about 8 a worker process), or run fewer workers (docs/several-machines.md)."),
            _ => (ErrorCategory.ResourceUnavailable, "The message says what the store answered; $Error[0].Exception.InnerException has the details."),
        };
        return ErrorRecords.WithAction(e, e.ErrorId, category, location, action);
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the next result; null when none came (or the run is over).</summary>
    public Swin2SRUpscaleResult? Next(TimeSpan timeout, out ErrorRecord? error)
    {
        error = null;
        var reader = _runner.Results;
        if (!reader.TryRead(out var result))
        {
            var waiting = reader.WaitToReadAsync().AsTask();
            // A run that failed completes its results with the error: IsComplete reports it, not this wait.
            if (!waiting.ContinueWith(_ => { }, TaskScheduler.Default).Wait(timeout) || !reader.TryRead(out result))
                return null;
        }
        if (result.Status == UpscaleStatus.Failed && result.Error is { } e)
            error = new ErrorRecord(e.Exception ?? new InvalidOperationException(e.Message), e.ErrorId, ImageErrorCategories.Of(e.Kind), result.Item.InputPath)
            {
                ErrorDetails = new ErrorDetails(e.Message),
            };
        return Convert(result);
    }

    /// <summary>True once every result has been read; rethrows a failure of the engine or the store.</summary>
    public bool IsComplete
    {
        get
        {
            if (!_runner.Results.Completion.IsCompleted || _runner.Results.TryPeek(out _))
                return false;
            // The results carry the run's failure as soon as it is known; the runner itself completes only after
            // handing its leases back, which against a store that is down takes the store's whole retry budget.
            if (_runner.Results.Completion.Exception?.GetBaseException() is { } failure && !_cancellation.IsCancellationRequested)
            {
                throw failure switch
                {
                    JobStoreException s => StoreFailure(s, StoreLocation),
                    ModelLoadException m => ModelLoadFailed(m, m.ModelPath),
                    _ => failure,
                };
            }
            return true;
        }
    }

    public void Cancel() => _cancellation.Cancel();

    private Queue<string> _deviceWarnings = new();

    /// <summary>
    /// Leaves out the device warnings a command already showed for an earlier run (several jobs resumed in one
    /// pipeline each said "Running on the CPU ..."), and records the rest as shown.
    /// </summary>
    public void LeaveOutDeviceWarningsShown(HashSet<string> shown) => _deviceWarnings = new(_deviceWarnings.Where(shown.Add));

    /// <summary>How the devices were chosen, then what the scheduler adapted (smaller batches or tiles, a failed device): warnings.</summary>
    public bool TryTakeNote(out string note) => _deviceWarnings.TryDequeue(out note!) || _runner.TryTakeNote(out note);

    public bool TryTakeDetail(out string detail) => _runner.TryTakeDetail(out detail);

    /// <summary>Waits for the workers to let go of their files and leases after a cancel (temp files are removed by then).</summary>
    public void WaitForShutdown(TimeSpan timeout)
    {
        try
        {
            _runner.Completion.Wait(timeout);
        }
        catch (AggregateException)
        {
            // Cancellation surfaces here; the caller is already stopping.
        }
    }

    private Swin2SRUpscaleResult Convert(UpscaleResult r) => new()
    {
        JobName = JobName,
        Store = StoreLocation,
        InputPath = r.Item.InputPath,
        // The item's planned output is not a file when the image failed (now, or before and left failed); the error says where it went wrong.
        OutputPath = r.Status == UpscaleStatus.Failed || r.Error?.ErrorId == JobPlanner.FailedBeforeId ? null : r.Item.OutputPath,
        Status = (Swin2SRItemStatus)(int)r.Status,
        InputWidth = KnownSize.Of(r.InputWidth),
        InputHeight = KnownSize.Of(r.InputHeight),
        OutputWidth = KnownSize.Of(r.OutputWidth),
        OutputHeight = KnownSize.Of(r.OutputHeight),
        Scale = r.Scale,
        Model = r.Model,
        Precision = r.Precision.ToString(),
        Duration = r.Duration,
        ErrorId = r.Error?.ErrorId,
        Error = r.Error?.Message,
        Metrics = QualityMetricsOutput.From(r.Metrics),
        Warnings = Swin2SRTextList.OfInput(r.Item.InputPath, r.Warnings),
    };

    public void Dispose()
    {
        _signals.Dispose();
        _cancellation.Cancel();
        WaitForShutdown(TimeSpan.FromSeconds(10));
        foreach (var device in _devices)
            device.Dispose();
        _store.Dispose();
        _cancellation.Dispose();
    }
}
