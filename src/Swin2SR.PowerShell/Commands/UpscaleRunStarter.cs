using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Devices;
using Swin2SR.Core.Jobs;
using Swin2SR.Core.Models;
using Swin2SR.Core.Pipeline;

namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// Starts an <see cref="UpscaleRun"/> for Invoke (adding its inputs to the job) or Resume (going on with the job as
/// recorded): opens the store, the model and the devices, and hands the run what it owns from then on.
/// </summary>
internal static class UpscaleRunStarter
{
    /// <summary>Invoke: adds the inputs to the job (creating it if new) and starts working on its pending items.</summary>
    public static UpscaleRun StartInvoke(JobStoreTarget target, string jobName, string modelPath, IReadOnlyList<string> inputs, string? outputDirectory, UpscaleSettings settings,
        string[]? pathMap, DeviceChoice devices)
    {
        // Recorded as the job's other options are, the last Invoke's winning: Resume goes on with them.
        var options = devices.RecordIn(settings.ToJobOptions(modelPath, outputDirectory));
        var paths = PathMapArgument.Resolve(pathMap);
        string hash = options.OutputHash();
        string signature = Signature(options, hash, devices, paths);
        return Start(JobStoreOpening.Open(target, target.RunAccess), paths, devices, options, (store, scale) =>
        {
            var (job, alreadyDone, added) = JobPlanner.AddInputs(store, jobName, options, inputs, hash, settings.RetryFailed, settings.ListedRoot);
            var skipped = JobPlanner.AlreadyDoneResults(store, job, alreadyDone, modelPath, scale)
                .Concat(JobPlanner.FailedBeforeResults(job, added.FailedBefore, modelPath, scale)).ToList();
            // Items left Pending by an earlier, interrupted run of this job are worked on too.
            var summary = store.Summarize(job, _ => false);
            // Asked only now that the inputs are committed: the handshake of JobHandOff.
            string? leftToOthers = summary.Pending > 0 && JobHandOff.RunTakingNewItems(store, job.Id, signature) is { } taker
                ? HandOffMessages.HandedOver(job.Name, added.Added + added.Requeued, summary.Pending, taker, target.Argument)
                : JobPlanner.LiveRunsHoldingTheRest(store, job, summary) is { } runs ? HandOffMessages.LeftToOtherRuns(summary.Running, runs) : null;
            return (job, skipped, skipped.Count + (int)(summary.Pending + summary.Running), summary.BytesLeft, leftToOthers);
        }, modelPath, hash, signature,
            // The tiling works where the job already ran with this model and tiling, or where a run with them works on it
            // now (which may take this run's inputs): the inputs may then be added before the model loads, and a rerun
            // with nothing new, or whose inputs another run takes, loads none. A -TileSize the job has not run with is
            // checked first.
            store => JobPlanner.SucceededBefore(store, jobName, hash) || JobHandOff.RunTakesNewItems(store, jobName, signature));
    }

    /// <summary>How this run works on items, for runs of this host to hand it their new inputs (see <see cref="JobHandOff"/>).</summary>
    /// <param name="outputHash">The options' <see cref="JobOptions.OutputHash"/> with the model this run loads.</param>
    private static string Signature(JobOptions options, string outputHash, DeviceChoice devices, PathMap paths) =>
        JobHandOff.Signature(options, outputHash, Enum.Parse<DeviceKind>(devices.Kind, ignoreCase: true), devices.Ids, devices.Precision, paths);

    /// <summary>Resume: continues a job with its recorded options; -RetryFailed queues its failed items again.</summary>
    /// <param name="pathMap">from=to pairs mapping the items' recorded paths (and the recorded model's) to this host's.</param>
    /// <returns>Null when the job has nothing left to do: no model is loaded for it, so a finished job resumes without
    /// error even when its model is gone since.</returns>
    /// <param name="asked">Resume's -Device, -DeviceId and -Precision: those not given are the job's recorded ones.</param>
    public static UpscaleRun? StartResume(JobStoreTarget target, string jobName, bool retryFailed, string[]? pathMap, DeviceRequest asked)
    {
        var paths = PathMapArgument.Resolve(pathMap);
        // Resuming needs a job, so a store that does not exist is not created: the job is not found.
        var opened = JobStoreOpening.OpenExisting(target, target.RunAccess) ?? throw JobStoreErrorRecords.JobNotFound(jobName, target.Display, storeExists: false);
        JobRecord job;
        string modelPath;
        try
        {
            // The model to load is in the job's record, so the job is read before the run starts.
            job = JobStoreOpening.FindJob(opened, jobName);
            if (ResumeChecks.NothingLeft(opened, job, retryFailed))
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
                throw ModelLookup.JobModelMissing(job.Name, modelPath);
            ResumeChecks.RequireWritableOutputFolders(opened, job, retryFailed, paths, target.Argument);
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
                    return new UpscaleRun(store, [], JobRunner.Finished(store, proven, done), cancellation, proven, done.Count, modelPath, scale,
                        WithFailedBeforeNote(leftToOthers is null ? [] : [leftToOthers], proven, done));
            }
            (devices, var warnings) = DeviceOpening.Open(modelPath, choice);
            // An impossible tiling is a setup error, found before the job is changed: a typo in -TileSize must not
            // requeue a finished job's items under options that can never run.
            TileGeometry.Resolve(options.ToUpscaleOptions(), devices[0].Contract);
            var (job, alreadyDone, total, bytes, _) = prepared ?? prepare(store, devices[0].Contract.Scale);
            var runner = JobRunner.Start(store, job, devices, alreadyDone, cancellation.Token, paths: paths, accepts: signature, outputHash: outputHash);
            string?[] batchWarnings = [devices[0].Contract.UnusedBatchSize(options.BatchSize),
                CpuBatchMemory.Warning(devices, options.ToUpscaleOptions())];
            var setupWarnings = warnings.Concat(batchWarnings.OfType<string>());
            return new UpscaleRun(store, devices, runner, cancellation, job, total, modelPath, devices[0].Contract.Scale,
                WithFailedBeforeNote(setupWarnings, job, alreadyDone), bytesCountedOn: bytes);
        }
        catch (Exception e)
        {
            foreach (var device in devices)
                device.Dispose();
            store.Dispose();
            cancellation.Dispose();
            throw e switch
            {
                JobStoreException s => JobStoreErrorRecords.StoreFailure(s, store.Location),
                InvalidTilingException t => TilingCheck.Failure(t),
                _ => e,
            };
        }
    }

    private static IEnumerable<string> WithFailedBeforeNote(IEnumerable<string> warnings, JobRecord job, IReadOnlyList<UpscaleResult> reported) =>
        JobPlanner.FailedBeforeNote(job, reported.Count(r => r.Error?.ErrorId == JobPlanner.FailedBeforeId)) is { } note ? warnings.Append(note) : warnings;
}
