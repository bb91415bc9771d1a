using System.Net;
using Swin2SR.Core.Jobs.Postgres;
using Swin2SR.Core.Jobs.Sqlite;

namespace Swin2SR.Core.Jobs;

/// <summary>
/// Opens the job store a user named: -JobStore, else $env:SWIN2SR_JOBSTORE, else a SQLite file in the user's
/// data folder. A PostgreSQL connection string (<c>Host=...</c>, or a <c>postgres://</c> / <c>postgresql://</c>
/// URI) opens the shared PostgreSQL store; any other value is a SQLite file path.
/// </summary>
public static class JobStores
{
    public const string EnvironmentVariable = "SWIN2SR_JOBSTORE";

    // DoNotVerify: naming the default store must not create the data folder; the first run that uses the store does.
    public static string DefaultLocation =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "Swin2SR", "jobs.db");

    public static string Resolve(string? location) => Named(location) ?? DefaultLocation;

    /// <summary>The store the command (-JobStore) or the environment names; null when neither does, and the default is used.</summary>
    private static string? Named(string? location) =>
        !string.IsNullOrWhiteSpace(location) ? location
        : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
        : null;

    /// <summary>True when the location is a PostgreSQL connection string rather than a file path.</summary>
    public static bool IsPostgres(string? location) => PostgresConnectionString.Matches(Resolve(location));

    /// <summary>
    /// Opens the store for a run that records jobs: a SQLite file (and its folder) that does not exist is created.
    /// </summary>
    /// <param name="credential">A user name and password for a PostgreSQL store; a SQLite file has no use for one.</param>
    /// <param name="access">What the store is opened for (default: a run).</param>
    public static IJobStore Open(string? location, NetworkCredential? credential = null, JobStoreAccess? access = null) =>
        Open(location, credential, access ?? JobStoreAccess.Run(), createIfMissing: true);

    /// <summary>
    /// Opens a store that exists, to read its jobs or act on them: no file or folder is created. Null when the default
    /// store does not exist yet: nothing has been run with it, so it has no jobs. A store the user named (-JobStore,
    /// $env:SWIN2SR_JOBSTORE) that does not exist is an error, JobStoreNotFound, as the name is likely a typo.
    /// A PostgreSQL store is opened as by <see cref="Open(string, NetworkCredential, JobStoreAccess)"/>: its database is never created by this module.
    /// </summary>
    public static IJobStore? OpenExisting(string? location, NetworkCredential? credential, JobStoreAccess access)
    {
        try
        {
            return Open(location, credential, access, createIfMissing: false);
        }
        catch (JobStoreException e) when (e.ErrorId == SqliteJobStore.NotFoundErrorId && Named(location) is null)
        {
            return null;
        }
    }

    private static IJobStore Open(string? location, NetworkCredential? credential, JobStoreAccess access, bool createIfMissing)
    {
        string resolved = Resolve(location);
        if (PostgresConnectionString.Matches(resolved))
            return new PostgresJobStore(resolved, credential, access);
        if (credential is not null)
            throw new JobStoreException($"A credential applies to a PostgreSQL job store only; '{resolved}' is a SQLite file.", errorId: "CredentialNotApplicable");
        return new SqliteJobStore(resolved, createIfMissing: createIfMissing, migrate: access.Migrate);
    }

    /// <summary>
    /// For a PostgreSQL connection string that holds a password (which <see cref="Display"/> leaves out): true, with
    /// the user it is for (null when the string names none, and the driver logs in as the account's own name).
    /// </summary>
    public static bool HoldsPassword(string location, out string? user)
    {
        user = null;
        if (!PostgresConnectionString.Matches(location))
            return false;
        try
        {
            var builder = PostgresConnectionString.Parse(location, null);
            user = string.IsNullOrEmpty(builder.Username) ? null : builder.Username;
            return !string.IsNullOrEmpty(builder.Password);
        }
        catch (JobStoreException)
        {
            return false; // a string that does not parse opened no store, so no command names it
        }
    }

    /// <summary>The location as it may be shown in messages and error records: a connection string without its password.</summary>
    public static string Display(string? location)
    {
        string resolved = Resolve(location);
        return PostgresConnectionString.Matches(resolved) ? PostgresConnectionString.DisplayUnparsed(resolved) : resolved;
    }
}
