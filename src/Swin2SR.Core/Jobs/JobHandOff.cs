using System.Security.Cryptography;
using System.Text;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Devices;

namespace Swin2SR.Core.Jobs;

/// <summary>
/// A run that adds inputs to a job while another run of that job works on this host, with the same options and
/// devices, hands its inputs to that run instead of loading a model of its own: a hot folder's cron run every few
/// minutes during a backlog of hours would otherwise stack up processes on the same GPU, each holding a model.
/// </summary>
/// <remarks>
/// The handshake that leaves no item Pending with nobody running. A worker's row says what it accepts
/// (<see cref="WorkerRecord.Accepts"/>) while its feeder still claims new items. Before it stops claiming, the worker
/// commits its row's accepts as null, and only then claims once more (going on, and accepting again, when that finds
/// items). A run that hands off commits its items first, and only then reads the workers. So either it reads the row
/// before the worker cleared it, and then the items were committed before the worker's last claim began, which sees
/// them; or it reads null, and runs its items itself. Both stores keep that order: SQLite runs one writer at a time
/// and a read sees every commit before it began; PostgreSQL, at read committed, gives each statement a snapshot of
/// what was committed before the statement began. A worker that stops (Stop-Swin2SRJob, Ctrl+C, a signal) clears
/// its row as it begins to stop; items handed to it before that, or to one that crashed, stay Pending, as the rest
/// of its job: for Resume, or the next run.
/// </remarks>
public static class JobHandOff
{
    /// <summary>
    /// How a run works on a job's items: its options (but for the job's recorded output root, which only plans
    /// output paths, and the model's path, which counts by its bytes in <paramref name="outputHash"/>), the devices
    /// as asked for (-Device, -DeviceId in any order, -Precision: an admin running one run per GPU on purpose gets
    /// one run per GPU; those the job recorded count only as the run uses them), and the path map it reads items
    /// through. Runs hand items only to a run of the same signature.
    /// </summary>
    /// <param name="outputHash">The options' <see cref="JobOptions.OutputHash"/> with the model this run loads.</param>
    public static string Signature(JobOptions options, string outputHash, DeviceKind device, IReadOnlyCollection<int>? deviceIds, Precision precision, PathMap paths)
    {
        string ids = deviceIds is null ? "all" : string.Join(',', deviceIds.Distinct().Order());
        string text = string.Join('\n', outputHash, (options.WithoutDeviceChoice() with { ModelPath = "", OutputRoot = null }).ToJson(), device, ids, precision, paths);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    /// <summary>
    /// A live run on this host (this host's name and <see cref="WorkerIdentity.ProcessScope"/>, its process running,
    /// and its heartbeat recent: not a process stopped or hung) that still claims the job's new items and works on
    /// them as a run of this <paramref name="signature"/> would; null when there is none. Read after the run's items
    /// are committed, it decides the handshake (see the remarks).
    /// </summary>
    public static WorkerRecord? RunTakingNewItems(IJobStore store, long jobId, string signature) =>
        store.Workers(jobId).FirstOrDefault(w => w.Accepts == signature && WorkerIdentity.IsOfThisHost(w) && WorkerIdentity.IsWorking(w, JobRunner.DefaultLeaseDuration));

    /// <summary>
    /// Whether a run of this <paramref name="signature"/> works on the job now and takes new items: its model loaded
    /// and its tiling works, so a run that may hand it its inputs need not load the model to know. A hint, read before
    /// the inputs are added: only <see cref="RunTakingNewItems"/> read after that decides.
    /// </summary>
    public static bool RunTakesNewItems(IJobStore store, string jobName, string signature) =>
        store.FindJob(jobName) is { } job && RunTakingNewItems(store, job.Id, signature) is not null;
}
