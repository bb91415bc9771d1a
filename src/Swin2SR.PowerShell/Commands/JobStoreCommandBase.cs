using System.Management.Automation;

namespace Swin2SR.PowerShell.Commands;

/// <summary>What every cmdlet that reads or writes jobs shares: the job store to use and how to log in to it.</summary>
public abstract class JobStoreCommandBase : PSCmdlet
{
    /// <summary>
    /// A SQLite file or a PostgreSQL connection string; default: $env:SWIN2SR_JOBSTORE, else jobs.db in the user's data
    /// folder. Each cmdlet declares it: the job cmdlets bind it from what is piped in (<see cref="JobCommandBase.JobStore"/>),
    /// Invoke-Swin2SRUpscale does not.
    /// </summary>
    public abstract string? JobStore { get; set; }

    /// <summary>User name and password for a PostgreSQL job store; never shown or recorded.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>A job's name with the -JobStore it was bound with, to act once per job: piped jobs may come from several stores.</summary>
    private protected string InStore(string jobName) => $"{JobStore}\n{jobName}";

    private protected JobStoreTarget Store => JobStoreTarget.From(this, JobStore, Credential);
}
