using Swin2SR.Core.Jobs;

namespace Swin2SR.PowerShell.Commands;

/// <summary>Opens the job store a command names, and finds a job in it; what the store refuses becomes a setup error (<see cref="JobStoreErrorRecords"/>).</summary>
internal static class JobStoreOpening
{
    /// <summary>For a run that records jobs: a store that does not exist is created.</summary>
    public static IJobStore Open(JobStoreTarget target, JobStoreAccess access) => JobStoreErrorRecords.Guard(target.Display, () => target.Open(access));

    /// <summary>For a command that needs jobs: no store is created; null when the default store does not exist yet.</summary>
    public static IJobStore? OpenExisting(JobStoreTarget target, JobStoreAccess access) => JobStoreErrorRecords.Guard(target.Display, () => target.OpenExisting(access));

    public static JobRecord FindJob(IJobStore store, string jobName) => JobStoreErrorRecords.Guard(store.Location,
        () => store.FindJob(jobName) ?? throw JobStoreErrorRecords.JobNotFound(jobName, store.Location, storeExists: true));
}
