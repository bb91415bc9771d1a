using System.Collections.Concurrent;
using System.Management.Automation;

namespace Swin2SR.PowerShell.Jobs;

/// <summary>
/// Holds the session's -AsJob jobs for PowerShell's JobManager, as the ThreadJob module does for Start-ThreadJob.
/// Remove-Job and Receive-Job -AutoRemoveJob remove a Job2 only through the adapter that holds it: one added
/// straight to the session's JobRepository was listed by Get-Job but could never be auto-removed.
/// </summary>
public sealed class UpscaleJobSourceAdapter : JobSourceAdapter
{
    private readonly ConcurrentDictionary<Guid, Job2> _jobs = new();

    /// <summary>JobManager creates the adapter itself, from its type, the first time a job names it.</summary>
    public UpscaleJobSourceAdapter() => Name = nameof(UpscaleJobSourceAdapter);

    /// <summary>Hands a new job to the session's JobManager, which passes it to this adapter's NewJob.</summary>
    internal static void Register(JobManager jobManager, UpscaleBackgroundJob job)
    {
        var definition = new JobDefinition(typeof(UpscaleJobSourceAdapter), job.Command, job.Name);
        var parameters = new Dictionary<string, object> { ["Job"] = job };
        jobManager.NewJob(new JobInvocationInfo(definition, parameters));
    }

    public override Job2 NewJob(JobInvocationInfo specification)
    {
        var job = (Job2)specification.Parameters[0][0].Value;
        _jobs.TryAdd(job.InstanceId, job);
        return job;
    }

    public override IList<Job2> GetJobs() => _jobs.Values.OrderBy(job => job.Id).ToList();

    public override IList<Job2> GetJobsByName(string name, bool recurse) => Matching(job => job.Name, name);

    public override IList<Job2> GetJobsByCommand(string command, bool recurse) => Matching(job => job.Command, command);

    public override Job2? GetJobByInstanceId(Guid instanceId, bool recurse) => _jobs.GetValueOrDefault(instanceId);

    public override Job2? GetJobBySessionId(int id, bool recurse) => _jobs.Values.FirstOrDefault(job => job.Id == id);

    public override IList<Job2> GetJobsByState(JobState state, bool recurse) =>
        GetJobs().Where(job => job.JobStateInfo.State == state).ToList();

    /// <summary>These jobs define no filter keys (Get-Job -Filter is for workflow and scheduled jobs).</summary>
    public override IList<Job2> GetJobsByFilter(Dictionary<string, object> filter, bool recurse) => new List<Job2>();

    /// <summary>Remove-Job -Force on a running job stops it first; the caller disposes it afterwards.</summary>
    public override void RemoveJob(Job2 job)
    {
        if (_jobs.TryRemove(job.InstanceId, out var removed))
            removed.StopJob();
    }

    private List<Job2> Matching(Func<Job2, string> property, string pattern)
    {
        var wildcard = new WildcardPattern(pattern, WildcardOptions.IgnoreCase);
        return GetJobs().Where(job => wildcard.IsMatch(property(job))).ToList();
    }
}
