using System.Management.Automation;
using Swin2SR.Core.Jobs;

namespace Swin2SR.PowerShell.Commands;

/// <summary>Turns the job store's errors, and a job it does not hold, into error records with a category, the store or job as target and a recommended action.</summary>
internal static class JobStoreErrorRecords
{
    /// <param name="location">The store as it may be shown: never with a password.</param>
    public static SetupFailedException StoreFailure(JobStoreException e, string location) =>
        new(StoreErrorRecord(e, location));

    /// <summary>Runs <paramref name="work"/> on the store at <paramref name="location"/>, what the store refuses thrown as a setup error (<see cref="StoreFailure"/>).</summary>
    public static T Guard<T>(string location, Func<T> work)
    {
        try
        {
            return work();
        }
        catch (JobStoreException e)
        {
            throw StoreFailure(e, location);
        }
    }

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

    /// <summary>Not terminating: a command given several jobs goes on with the others.</summary>
    /// <param name="storeExists">False: the default store, which nothing has been run with yet.</param>
    public static SetupFailedException JobNotFound(string jobName, string location, bool storeExists) =>
        new(new ErrorRecord(new ItemNotFoundException(storeExists
                ? $"There is no job named '{jobName}' in the job store '{location}'."
                : $"There is no job named '{jobName}': the job store '{location}' does not exist yet, as no job has been run with it."),
            "JobNotFound", ErrorCategory.ObjectNotFound, jobName), terminating: false);
}
