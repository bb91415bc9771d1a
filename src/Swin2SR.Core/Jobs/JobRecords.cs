namespace Swin2SR.Core.Jobs;

/// <summary>A job as stored.</summary>
public sealed record JobRecord(long Id, string Name, JobOptions Options, DateTimeOffset Created, DateTimeOffset Updated, bool StopRequested);

/// <summary>One input to add to a job, with what identifies its version (size and time).</summary>
public sealed record NewItem(string InputPath, string OutputPath, string OutputFormat, long InputLength, long InputModifiedMs, string OptionsHash);

/// <summary>An item claimed by a worker: it holds the lease until it reports the outcome.</summary>
/// <param name="MayOverwrite">
/// The job wrote this output before, or an earlier attempt that began this item ended without an outcome (a worker
/// killed between renaming its output into place and committing): an existing file is then the job's own to replace.
/// </param>
/// <param name="LostLeases">
/// How often a worker ended (crashed, was killed) while working on this item, counted when another takes it over.
/// Above zero the item is a suspect (<see cref="IJobStore.ClaimSuspect"/>).
/// </param>
/// <param name="Interrupted">An earlier attempt began this item and ended without an outcome, or a worker was lost on it: it may have left a temp file.</param>
/// <param name="InputLength">The input's size in bytes as listed: what the progress counts the work in.</param>
/// <param name="OutputOwner">
/// The input of another item of the job whose output is this item's output file and which the job wrote (photo.jpg
/// and photo.png with -Format Png, in an earlier run): this item must not replace it. Or, where this item never wrote
/// it, the input of an item of another job of the store that wrote it, another file (another path, another size or
/// time): scan0001.png of box1 and of box2, each folder upscaled into one output folder by a run of its own. Null when there is none.
/// </param>
/// <param name="OutputOwnerJob">The other job whose item is the <paramref name="OutputOwner"/>; null when it is this job's.</param>
public sealed record ClaimedItem(long Id, string InputPath, string OutputPath, string OutputFormat, bool MayOverwrite, int LostLeases, bool Interrupted = false,
    long InputLength = 0, string? OutputOwner = null, string? OutputOwnerJob = null)
{
    /// <summary>
    /// An item as both stores keep it: whether the job wrote its output (<paramref name="everWritten"/>), how many
    /// attempts began it without an outcome (<paramref name="openClaims"/>), how many workers were lost on it, its size
    /// as listed, and which other item's written output has its output's name (<paramref name="outputOwner"/>, of the
    /// job <paramref name="outputOwnerJob"/> where another job's).
    /// </summary>
    public static ClaimedItem FromStored(long id, string inputPath, string outputPath, string outputFormat, bool everWritten, int openClaims, int lostLeases,
        long inputLength, string? outputOwner, string? outputOwnerJob) =>
        new(id, inputPath, outputPath, outputFormat, everWritten || openClaims > 0, lostLeases, Interrupted: openClaims > 0 || lostLeases > 0, inputLength, outputOwner,
            outputOwnerJob);
}

/// <summary>The outcome of one claimed item, committed in batches.</summary>
/// <param name="Metrics">The quality gate's measurements as JSON (<see cref="global::Swin2SR.Core.Quality.QualityMetrics"/>), when the image reached it.</param>
/// <param name="OptionsHash">
/// The <see cref="JobOptions.OutputHash"/> of the run that made the outcome, recorded in place of the one the item was
/// added with (null: that one stays). They differ when a run added the item with other options while another run,
/// working on the job with its own, took it: a later rerun must see what the output was made with, and redo it.
/// </param>
/// <param name="ReadAs">
/// The version of the input the outcome was made from, recorded in place of the one listed (null: the input was not
/// read, and the listed one stays). They differ when the file was replaced between the listing and the read: the
/// output is then of the new version, and a rerun that lists it must find it done, not redo it.
/// </param>
/// <param name="Warnings">What the user should know about a success (<see cref="Pipeline.UpscaleResult.Warnings"/>); stored bounded (<see cref="ItemWarnings"/>).</param>
public sealed record ItemOutcome(
    long ItemId, ItemStatus Status, string? ErrorId, string? ErrorMessage, long DurationMs,
    int InputWidth, int InputHeight, int OutputWidth, int OutputHeight, string? Metrics = null, string? OptionsHash = null,
    Imaging.FileVersion? ReadAs = null, IReadOnlyList<string>? Warnings = null);

/// <summary>A worker process on a host: a lease owner whose liveness can be checked.</summary>
/// <param name="ProcessScope">Where <paramref name="ProcessId"/> means this process (see <see cref="WorkerIdentity.ProcessScope"/>); null where it is not known.</param>
/// <param name="Accepts">
/// While the worker still claims new items: the <see cref="JobHandOff.Signature"/> of how it works on them, for a run on its
/// host with the same options and devices to hand its new inputs to. Null once it claims no more (or never takes others' inputs).
/// </param>
public sealed record WorkerRecord(string Id, string Host, int ProcessId, long ProcessStartMs, string Device, DateTimeOffset Started, DateTimeOffset Heartbeat, long Processed,
    string? ProcessScope = null, string? Accepts = null);

/// <summary>An item as the journal holds it.</summary>
/// <param name="Warnings">The warnings of its last outcome, as stored (<see cref="ItemWarnings"/>); none when it had none.</param>
public sealed record ItemRecord(
    long Id, string JobName, string InputPath, string OutputPath, ItemStatus Status, int Attempts,
    string? ErrorId, string? ErrorMessage, DateTimeOffset? Started, DateTimeOffset? Finished, long? DurationMs,
    int? InputWidth, int? InputHeight, int? OutputWidth, int? OutputHeight, string? LeaseOwner, string? Metrics = null,
    IReadOnlyList<string>? Warnings = null);

/// <summary>A job with its counts, rate and workers: what Get-Swin2SRJob shows.</summary>
public sealed record JobSummary(
    JobRecord Job, JobState State, long Total, long Pending, long Running, long Succeeded, long Failed, long Skipped,
    double ImagesPerSecond, TimeSpan? EstimatedRemaining, DateTimeOffset? FirstStarted, DateTimeOffset? LastFinished,
    IReadOnlyList<WorkerRecord> Workers)
{
    public double PercentComplete => Total == 0 ? 100 : 100.0 * (Succeeded + Failed + Skipped) / Total;

    /// <summary>The input bytes (as listed) of the items pending or held by a worker: what a run's time remaining counts.</summary>
    public long BytesLeft { get; init; }

    /// <summary>How many of the <see cref="Succeeded"/> items have warnings (<see cref="ItemRecord.Warnings"/>), counted in the same pass as the rest.</summary>
    public long WithWarnings { get; init; }
}

/// <summary>
/// How many of the inputs given to a job were new, changed (queued again) or already done, and which failed before
/// in a way they would again (<see cref="RecurringFailures"/>), unchanged since: those are left failed.
/// </summary>
public sealed record AddItemsResult(int Added, int Requeued, IReadOnlyList<string> AlreadyDone, IReadOnlyList<EarlierFailure> FailedBefore)
{
    /// <summary>Inputs of the job that failed as InputNotFound and were neither listed again nor found: now Skipped as InputGone (<see cref="JobPlanner"/>).</summary>
    public IReadOnlyList<string> Gone { get; init; } = [];
}

/// <summary>An input that failed in an earlier run, as the journal recorded it.</summary>
public sealed record EarlierFailure(string InputPath, string ErrorId, string? ErrorMessage);
