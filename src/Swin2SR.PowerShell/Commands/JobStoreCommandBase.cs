using System.Management.Automation;

namespace Swin2SR.PowerShell.Commands;

/// <summary>What every cmdlet that reads or writes jobs shares: the job store to use and how to log in to it.</summary>
public abstract class JobStoreCommandBase : PSCmdlet
{
    /// <summary>A SQLite file or a PostgreSQL connection string; default: $env:SWIN2SR_JOBSTORE, else jobs.db in the user's data folder.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? JobStore { get; set; }

    /// <summary>User name and password for a PostgreSQL job store; never shown or recorded.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    private protected JobStoreTarget Store => JobStoreTarget.From(this, JobStore, Credential);
}
