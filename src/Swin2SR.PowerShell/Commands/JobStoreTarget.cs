using System.Management.Automation;
using System.Net;
using Swin2SR.Core.Jobs;

namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// The job store a command names with -JobStore and -Credential, as the bridges need it: a SQLite path resolved
/// from PowerShell's current location (relative paths, PSDrives), a PostgreSQL connection string as given, and the
/// credential as a NetworkCredential whose password stays a SecureString until the store hands it to the driver.
/// </summary>
internal sealed record JobStoreTarget(string? Location, NetworkCredential? Credential)
{
    /// <summary>$env:SWIN2SR_JOBSTORE, else the user's default SQLite file.</summary>
    public static readonly JobStoreTarget Default = new(null, null);

    public static JobStoreTarget From(PSCmdlet cmdlet, string? jobStore, PSCredential? credential) => new(
        jobStore is null || JobStores.IsPostgres(jobStore) ? jobStore : cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(jobStore),
        credential is null || credential == PSCredential.Empty ? null : new NetworkCredential(credential.UserName, credential.Password));

    /// <summary>What messages and error records may show: a connection string without its password.</summary>
    public string Display => JobStores.Display(Location);

    public IJobStore Open() => JobStores.Open(Location, Credential);
}
