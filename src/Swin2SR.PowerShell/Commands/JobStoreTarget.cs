using System.Management.Automation;
using System.Net;
using Swin2SR.Core.Jobs;

namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// The job store a command names with -JobStore and -Credential, as the bridges need it: a SQLite path resolved
/// from PowerShell's current location (relative paths, PSDrives), a PostgreSQL connection string as given, and the
/// credential as a NetworkCredential whose password stays a SecureString until the store hands it to the driver.
/// </summary>
/// <param name="Warn">Where a run says that it waits for the store's server: the command's warning stream.</param>
internal sealed record JobStoreTarget(string? Location, NetworkCredential? Credential, Action<string>? Warn = null)
{
    public static JobStoreTarget From(PSCmdlet cmdlet, string? jobStore, PSCredential? credential) => new(
        Located(jobStore, path => FileSystemPath.Resolve(cmdlet, path)),
        credential is null || credential == PSCredential.Empty ? null : new NetworkCredential(credential.UserName, credential.Password),
        cmdlet.WriteWarning);

    /// <summary>The store a -JobStore typed before Tab names (see <see cref="Completion.CompletionPath"/>).</summary>
    public static JobStoreTarget ToComplete(string? jobStore) => new(Located(jobStore, Completion.CompletionPath.Resolve), null);

    // A connection string is no path.
    private static string? Located(string? jobStore, Func<string, string> resolve) =>
        jobStore is null || JobStores.IsPostgres(jobStore) ? jobStore : resolve(jobStore);

    /// <summary>What messages and error records may show: a connection string without its password.</summary>
    public string Display => JobStores.Display(Location);

    /// <summary>
    /// " -JobStore '...'" for the commands a message tells the user to type, when the command was given -JobStore:
    /// without it they would look in $env:SWIN2SR_JOBSTORE or the default store. Empty otherwise. Where this command's
    /// password came from -Credential or from the connection string, which is never shown, it is followed by
    /// " -Credential (Get-Credential -UserName 'user')": pasted, the command asks for the password instead of failing to log in.
    /// A password from PGPASSWORD or a pgpass file needs nothing: the pasted command finds it there again.
    /// </summary>
    public string Argument => (Location is null ? "" : $" -JobStore {Completion.CompletionArgument.Quoted(Display)}") + CredentialArgument;

    private string CredentialArgument =>
        Credential is not null ? AskFor(Credential.UserName)
        : Location is not null && JobStores.HoldsPassword(Location, out var user) ? AskFor(user)
        : "";

    private static string AskFor(string? user) => $" -Credential (Get-Credential{(string.IsNullOrEmpty(user) ? "" : $" -UserName {Completion.CompletionArgument.Quoted(user)}")})";

    /// <summary>For a run: waits up to a minute for a server that cannot be reached, and says so.</summary>
    public JobStoreAccess RunAccess => JobStoreAccess.Run(Warn);

    public IJobStore Open(JobStoreAccess access) => JobStores.Open(Location, Credential, access);

    /// <summary>Never creates a store; null when the default one does not exist yet (see <see cref="JobStores.OpenExisting"/>).</summary>
    public IJobStore? OpenExisting(JobStoreAccess access) => JobStores.OpenExisting(Location, Credential, access);
}
