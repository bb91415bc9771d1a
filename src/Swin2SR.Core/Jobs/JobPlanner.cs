using Swin2SR.Core.Imaging;
using Swin2SR.Core.Pipeline;

namespace Swin2SR.Core.Jobs;

/// <summary>
/// Adds a run's inputs to a job: plans their outputs (below the job's recorded root, so outputs keep their place
/// when later runs add inputs elsewhere), records size and time, and reports which inputs are already done.
/// </summary>
public static class JobPlanner
{
    /// <param name="outputHash">The options' <see cref="JobOptions.OutputHash"/>, where the caller has it already: it reads the
    /// whole model file.</param>
    /// <param name="retryFailed">Queue again the inputs that failed before in a way they would again (-RetryFailed); they
    /// are also queued again when any of the job's options changed (a higher -MaxInputMegapixels, another quality gate).</param>
    /// <param name="listedRoot">The common folder of every input the user listed, where some were left out before the run (a
    /// folder that cannot be written, -Confirm answered No): the outputs of the others keep the places a run of all would
    /// give them. Null: the common folder of <paramref name="inputs"/>.</param>
    public static (JobRecord Job, IReadOnlyList<UpscaleItem> AlreadyDone, AddItemsResult Added) AddInputs(
        IJobStore store, string jobName, JobOptions options, IReadOnlyList<string> inputs, string? outputHash = null, bool retryFailed = false,
        string? listedRoot = null)
    {
        var existing = store.FindJob(jobName);
        var (root, planned) = Plan(store, existing, options, inputs, listedRoot);
        var recordedOptions = options with { OutputRoot = root };
        var job = store.CreateOrUpdateJob(jobName, recordedOptions);
        // The recorded root shapes no output's pixels: the digest is the options' own.
        string hash = outputHash ?? options.OutputHash();
        var items = planned.Select(p =>
        {
            var info = new FileInfo(p.InputPath);
            // A missing input is still journaled: the run reports it as InputNotFound like any bad file.
            return new NewItem(p.InputPath, p.OutputPath, p.OutputFormat, info.Exists ? info.Length : -1,
                info.Exists ? new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeMilliseconds() : 0, hash);
        }).ToList();
        var added = store.AddItems(job.Id, items, redoDone: options.Force, retryFailed: retryFailed || !SameOptions(existing?.Options, recordedOptions));
        // Done, but its output is gone (cleaned up, restored from an older backup): made again, not reported done.
        var outputs = planned.DistinctBy(p => p.InputPath).ToDictionary(p => p.InputPath, p => p.OutputPath);
        var gone = added.AlreadyDone.Where(i => !File.Exists(outputs[i])).ToHashSet();
        if (gone.Count > 0)
        {
            var redo = store.AddItems(job.Id, items.Where(i => gone.Contains(i.InputPath)).ToList(), redoDone: true);
            added = added with { Requeued = added.Requeued + redo.Requeued, AlreadyDone = added.AlreadyDone.Where(i => !gone.Contains(i)).ToList() };
        }
        var doneSet = added.AlreadyDone.ToHashSet();
        added = added with { Gone = RetireGoneInputs(store, job.Id, items) };
        return (job, planned.Where(p => doneSet.Contains(p.InputPath)).ToList(), added);
    }

    /// <summary>
    /// The outputs <see cref="AddInputs"/> would plan for these inputs, read from the store without creating or changing
    /// the job: -WhatIf, -Confirm and the output-folder check name and try the files the run then writes (a job whose
    /// first run was over shop/shoes writes a new shoe into enhanced/, not enhanced/shoes/, the night shop/bags appears).
    /// A job not in the store (or no store yet) plans as a new job would.
    /// </summary>
    public static IReadOnlyList<UpscaleItem> PlanOutputs(IJobStore? store, string jobName, JobOptions options, IReadOnlyList<string> inputs, string? listedRoot = null) =>
        Plan(store, store?.FindJob(jobName), options, inputs, listedRoot).Planned;

    /// <summary>The root the job records (its first run's, kept for good) and each input's planned output.</summary>
    private static (string? Root, IReadOnlyList<UpscaleItem> Planned) Plan(IJobStore? store, JobRecord? existing, JobOptions options, IReadOnlyList<string> inputs, string? listedRoot)
    {
        string? recordedRoot = options.OutputDirectory is not null && existing?.Options.OutputRoot is { Length: > 0 } recorded ? recorded : null;
        string? root = options.OutputDirectory is null ? null
            : recordedRoot ?? listedRoot ?? OutputPlanner.CommonDirectory(inputs.Select(Path.GetFullPath).ToList());
        var planned = PlanBelowRoots(inputs, options, root, recordedRoot, listedRoot);
        if (recordedRoot is not null)
            planned = KeepDoneOutputsInPlace(store!, existing!.Id, planned, options.OutputDirectory!);
        return (root, planned);
    }

    public const string InputGoneId = "InputGone";

    /// <summary>
    /// An input that failed as InputNotFound (moved or deleted after a run listed it) and that a later run, listing its
    /// folder again, neither lists nor finds: nothing is left to upscale, and as a failure no one could act on it, it
    /// left the job CompletedWithErrors for good. It becomes Skipped as InputGone; listed again, it is upscaled. Only
    /// inputs of folders this run lists: one of another folder (another host's paths, a share not mounted here) may be
    /// missing only from here.
    /// </summary>
    private static IReadOnlyList<string> RetireGoneInputs(IJobStore store, long jobId, IReadOnlyList<NewItem> listed)
    {
        var paths = listed.Select(i => i.InputPath).ToHashSet();
        var folders = paths.Select(Path.GetDirectoryName).ToHashSet();
        var gone = store.Items(jobId, [ItemStatus.Failed])
            .Where(i => i.ErrorId == "InputNotFound" && !paths.Contains(i.InputPath) && folders.Contains(Path.GetDirectoryName(i.InputPath))
                && !File.Exists(i.InputPath) && !Directory.Exists(i.InputPath))
            .ToList();
        if (gone.Count == 0)
            return [];
        store.RetireGoneInputs(jobId, gone.ConvertAll(i => i.Id),
            "it failed as InputNotFound (moved or deleted after a run listed it), and a later run listed its folder without it: "
            + "nothing is left to upscale, so it no longer counts as failed. Listed again, it is upscaled.");
        return gone.ConvertAll(i => i.InputPath);
    }

    /// <summary>
    /// The options a job ran with before are these, but for where its outputs are mirrored from (new inputs elsewhere
    /// widen it), -Force (which redoes everything anyway) and the devices (an input that failed on the CPU fails on a GPU).
    /// </summary>
    private static bool SameOptions(JobOptions? before, JobOptions now) =>
        before is not null && (before.WithoutDeviceChoice() with { OutputRoot = null, Force = false }) == (now.WithoutDeviceChoice() with { OutputRoot = null, Force = false });

    /// <summary>
    /// An item of the job succeeded with options of this <paramref name="outputHash"/> (the same model bytes, tile size
    /// and overlap): a run with them needs no model to know its tiling works.
    /// </summary>
    public static bool SucceededBefore(IJobStore store, string jobName, string outputHash) =>
        store.FindJob(jobName) is { } job && store.SucceededWith(job.Id, outputHash);

    /// <summary>
    /// The live workers that hold every image of the job not done, when none is pending and some are running; null
    /// otherwise (a crashed run's images are to be taken over). A hot folder's cron run that starts while the previous
    /// one still works then has nothing of its own to do: it ends instead of loading a model and standing by, which
    /// every few minutes of a long run would stack up processes, each holding a model (on a GPU, its memory).
    /// </summary>
    public static IReadOnlyList<WorkerRecord>? LiveRunsHoldingTheRest(IJobStore store, JobRecord job, JobSummary summary)
    {
        if (summary.Pending > 0 || summary.Running == 0)
            return null;
        var alive = store.Workers(job.Id).Where(w => WorkerIdentity.IsWorking(w, JobRunner.DefaultLeaseDuration)).ToList();
        var aliveIds = alive.Select(w => w.Id).ToHashSet();
        return alive.Count > 0 && store.Items(job.Id, [ItemStatus.Running]).All(i => i.LeaseOwner is { } owner && aliveIds.Contains(owner)) ? alive : null;
    }

    /// <summary>
    /// The job's outputs mirror the folder of its first run (<paramref name="root"/>, recorded), so that the inputs of a
    /// folder keep one place in the output folder however the job grows: a shop's nightly job over shop/shoes, the
    /// night shop/bags appeared, put that night's new shoes in enhanced/shoes/ beside the earlier ones in enhanced/,
    /// and, as the wider root was recorded, made every earlier shoe again into enhanced/shoes/ the next night, the
    /// first copies left behind. Inputs outside that folder are mirrored below the common folder of it and them, for
    /// their own outputs only (shop/bags/x.jpg into enhanced/bags/x.jpg).
    /// </summary>
    private static IReadOnlyList<UpscaleItem> PlanBelowRoots(IReadOnlyList<string> inputs, JobOptions options, string? root, string? recordedRoot, string? listedRoot)
    {
        var format = Enum.Parse<OutputFormat>(options.Format, ignoreCase: true);
        var outside = recordedRoot is null ? [] : inputs.Where(i => !OutputPlanner.IsUnder(i, recordedRoot)).ToList();
        if (outside.Count == 0)
            return OutputPlanner.Plan(inputs, options.OutputDirectory, format, root);
        // CommonDirectory takes files: a name inside the recorded root stands for it, as the listed root does for the listing.
        var folders = outside.Select(Path.GetFullPath).Append(Path.Combine(recordedRoot!, "-"));
        string wider = OutputPlanner.CommonDirectory((listedRoot is null ? folders : folders.Append(Path.Combine(listedRoot, "-"))).ToList());
        var isOutside = outside.ToHashSet();
        // Each input planned below its root, in the order listed (the order they are journaled and run in).
        return inputs.SelectMany(i => OutputPlanner.Plan([i], options.OutputDirectory, format, isOutside.Contains(i) ? wider : root))
            .DistinctBy(p => p.InputPath, OutputPlanner.PathComparer).ToList();
    }

    /// <summary>
    /// An input already done keeps the output it has where the plan puts it elsewhere in the output folder under the
    /// same name: a job whose recorded root an earlier version widened (every planned output moved, E:\enhanced\x.jpg
    /// to E:\enhanced\b\x.jpg) would otherwise make each again into the new place, and keep both copies. An output
    /// of another name (another -Format) or outside the output folder (another -OutputDirectory) is no such move.
    /// </summary>
    private static IReadOnlyList<UpscaleItem> KeepDoneOutputsInPlace(IJobStore store, long jobId, IReadOnlyList<UpscaleItem> planned, string outputDirectory)
    {
        var made = store.Items(jobId, [ItemStatus.Succeeded]).ToDictionary(i => i.InputPath, i => i.OutputPath);
        return planned.Select(p => made.TryGetValue(p.InputPath, out var output)
            && OutputPlanner.PathComparer.Equals(Path.GetFileName(output), Path.GetFileName(p.OutputPath))
            && OutputPlanner.IsUnder(output, outputDirectory) && File.Exists(output) ? p with { OutputPath = output } : p).ToList();
    }

    public const string FailedBeforeId = "FailedBefore";

    /// <summary>The error id of an input's result when the journal says an earlier run did it (<see cref="AlreadyDoneResults"/>).</summary>
    public const string AlreadyDoneId = "AlreadyDone";

    /// <summary>
    /// The results reported for the inputs left failed (<see cref="AddItemsResult.FailedBefore"/>): Skipped, saying how
    /// they failed and how to try them again. They write no output and no error, so a scheduled run over a folder
    /// that still holds a bad file does not fail every time for it.
    /// </summary>
    public static IReadOnlyList<UpscaleResult> FailedBeforeResults(JobRecord job, IReadOnlyList<EarlierFailure> failed, string modelPath, int scale)
    {
        string model = Path.GetFileNameWithoutExtension(modelPath);
        return failed.Select(f => new UpscaleResult(new UpscaleItem(f.InputPath, "", ""), UpscaleStatus.Skipped, 0, 0, 0, 0, scale, model, TimeSpan.Zero,
            new UpscaleError(FailedBeforeId, ImageErrorKind.InvalidData,
                $"{f.InputPath} was not tried again: it failed in an earlier run of job '{job.Name}' as {f.ErrorId} and is unchanged since "
                + $"(replace it, or add -RetryFailed to try it again). It failed with: {f.ErrorMessage}", null))).ToList();
    }

    /// <summary>The run's one warning about the inputs it left failed (each one's result says why, as a verbose line); null for none.</summary>
    public static string? FailedBeforeNote(JobRecord job, int count) => count == 0 ? null
        : $"{count} {(count == 1 ? "input" : "inputs")} failed in earlier runs of job '{job.Name}' and {(count == 1 ? "is" : "are")} unchanged since, so this run "
          + $"did not try {(count == 1 ? "it" : "them")} again (Get-Swin2SRJobItem -Status Failed says why). Replace {(count == 1 ? "it" : "them")}, or add -RetryFailed to try again.";

    /// <summary>
    /// The results reported for the inputs the journal says are done: Skipped, with the reason, and the sizes and
    /// warnings the journal recorded when they were done (the images are not decoded again, and a row without its
    /// sizes read as if they were unknown; the output still lacks the TIFF pages a warning said were left out).
    /// </summary>
    public static IReadOnlyList<UpscaleResult> AlreadyDoneResults(IJobStore store, JobRecord job, IReadOnlyList<UpscaleItem> done, string modelPath, int scale)
    {
        if (done.Count == 0)
            return [];
        var journaled = store.Items(job.Id, [ItemStatus.Succeeded, ItemStatus.Skipped]).ToDictionary(i => i.InputPath);
        string model = Path.GetFileNameWithoutExtension(modelPath);
        return done.Select(item =>
        {
            var record = journaled.GetValueOrDefault(item.InputPath);
            return new UpscaleResult(item, UpscaleStatus.Skipped,
                record?.InputWidth ?? 0, record?.InputHeight ?? 0, record?.OutputWidth ?? 0, record?.OutputHeight ?? 0, scale, model, TimeSpan.Zero,
                new UpscaleError(AlreadyDoneId, ImageErrorKind.WriteFailed, $"{item.InputPath} was already upscaled by job '{job.Name}' with the same options and is unchanged", null),
                Warnings: record?.Warnings);
        }).ToList();
    }
}
