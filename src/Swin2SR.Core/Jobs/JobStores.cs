using System.Net;
using Swin2SR.Core.Jobs.Postgres;

namespace Swin2SR.Core.Jobs;

/// <summary>
/// Opens the job store a user named: -JobStore, else $env:SWIN2SR_JOBSTORE, else a SQLite file in the user's
/// data folder. A PostgreSQL connection string (<c>Host=...</c>, or a <c>postgres://</c> / <c>postgresql://</c>
/// URI) opens the shared PostgreSQL store; any other value is a SQLite file path.
/// </summary>
public static class JobStores
{
    public const string EnvironmentVariable = "SWIN2SR_JOBSTORE";

    public static string DefaultLocation =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "Swin2SR", "jobs.db");

    public static string Resolve(string? location) =>
        !string.IsNullOrWhiteSpace(location) ? location
        : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
        : DefaultLocation;

    /// <summary>True when the location is a PostgreSQL connection string rather than a file path.</summary>
    public static bool IsPostgres(string? location) => PostgresConnectionString.Matches(Resolve(location));

    /// <param name="credential">A user name and password for a PostgreSQL store; a SQLite file has no use for one.</param>
    /// <param name="access">What the store is opened for (default: a run); a SQLite file heeds only whether it may be created.</param>
    public static IJobStore Open(string? location, NetworkCredential? credential = null, JobStoreAccess? access = null)
    {
        string resolved = Resolve(location);
        if (PostgresConnectionString.Matches(resolved))
            return new PostgresJobStore(resolved, credential, access);
        if (credential is not null)
            throw new JobStoreException($"A credential applies to a PostgreSQL job store only; '{resolved}' is a SQLite file.", errorId: "CredentialNotApplicable");
        return new Sqlite.SqliteJobStore(resolved, createIfMissing: access?.CreateIfMissing ?? true);
    }

    /// <summary>The location as it may be shown in messages and error records: a connection string without its password.</summary>
    public static string Display(string? location)
    {
        string resolved = Resolve(location);
        return PostgresConnectionString.Matches(resolved) ? PostgresConnectionString.DisplayUnparsed(resolved) : resolved;
    }
}
