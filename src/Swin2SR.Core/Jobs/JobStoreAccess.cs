namespace Swin2SR.Core.Jobs;

/// <summary>
/// What a job store is opened for, which decides how patient it is and whether its schema may be written. A worker
/// rides out a PostgreSQL restart, but someone checking a job's status at a prompt should hear within seconds that
/// the server cannot be reached, and tab completion must neither wait nor write anything. Whether a missing store
/// may be created is not an access but the choice between <see cref="JobStores.Open(string, System.Net.NetworkCredential, JobStoreAccess)"/> and
/// <see cref="JobStores.OpenExisting"/>.
/// </summary>
public sealed record JobStoreAccess
{
    /// <summary>How long a PostgreSQL operation (the first connection included) is retried while it fails transiently.</summary>
    public TimeSpan RetryBudget { get; init; }

    /// <summary>
    /// False: the store is read as it is: no schema is created or upgraded (and a SQLite file keeps its journal mode).
    /// True: a store of an older schema version is upgraded when opened, so every command can read what a newer run wrote.
    /// </summary>
    public bool Migrate { get; init; } = true;

    /// <summary>Told, once, that the first connection failed and is being retried: a run should not wait a minute in silence.</summary>
    public Action<string>? Waiting { get; init; }

    /// <summary>A run (Invoke, Resume): waits up to a minute for a server that is down or restarting.</summary>
    public static JobStoreAccess Run(Action<string>? waiting = null) => new() { RetryBudget = TimeSpan.FromSeconds(60), Waiting = waiting };

    /// <summary>Reading and managing jobs (status, items, stop, remove): a server that is down is reported within seconds.</summary>
    public static readonly JobStoreAccess Query = new() { RetryBudget = TimeSpan.FromSeconds(5) };

    /// <summary>Tab completion: no retry, and the store is read as it is.</summary>
    public static readonly JobStoreAccess Completion = new() { RetryBudget = TimeSpan.Zero, Migrate = false };
}
