using System.Diagnostics;
using System.Net;
using Npgsql;
using static Swin2SR.Core.Jobs.StoredValues;

namespace Swin2SR.Core.Jobs.Postgres;

/// <summary>
/// The job store in a PostgreSQL database, shared by workers on many hosts. Each operation is one short
/// transaction on a pooled connection (safe from any thread). Claims take a few items with
/// <c>FOR UPDATE SKIP LOCKED</c>, so workers never wait for each other; leases and every other time are the
/// server's clock. Transient failures (connection lost, server restarting) are retried for up to a minute for a
/// run, a few seconds for a status command (<see cref="JobStoreAccess"/>), and
/// each operation is safe to retry when its commit may have happened without the answer arriving: a claim finds
/// its own earlier claim by a token, a completion only changes items still leased by that worker, and the others
/// set values rather than add to them (AddItems, retried so, counts the inputs it had added as neither added nor
/// done: only its counts are off).
/// </summary>
public sealed class PostgresJobStore : IJobStore
{
    /// <summary>An item a worker has queued but not begun is still waiting, as far as a user is concerned.</summary>
    private const string ShownStatus = "(CASE WHEN i.status = 1 AND NOT i.work_begun THEN 0 ELSE i.status END)::smallint";

    private const long RateWindowMs = 60_000;

    /// <summary>The server refused a connection because it has max_connections already.</summary>
    public const string TooManyConnectionsErrorId = "JobStoreTooManyConnections";

    private readonly NpgsqlDataSource _dataSource;
    private readonly TransientRetry _retry;
    private readonly TimeSpan _retryBudget;
    private readonly string _passwordFile;
    private readonly string _passwordSource;

    /// <param name="connectionString">Npgsql's key=value form or a postgres:// URI.</param>
    /// <param name="credential">User name and password that replace those of the connection string.</param>
    /// <param name="access">How long to retry, whether the schema may be created, who hears of a wait (default: a run's).</param>
    public PostgresJobStore(string connectionString, NetworkCredential? credential = null, JobStoreAccess? access = null)
    {
        var builder = PostgresConnectionString.Parse(connectionString, credential);
        Location = PostgresConnectionString.Display(builder);
        access ??= JobStoreAccess.Run();
        PostgresConnectionString.FitTimeout(builder, access.RetryBudget);
        _passwordFile = PostgresConnectionString.PasswordFile(builder);
        _passwordSource = PostgresConnectionString.PasswordSource(builder, credential);
        _retryBudget = access.RetryBudget;
        _dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
        // Pooled connections to a server that restarted are all broken: drop them rather than fail on each in turn.
        _retry = new TransientRetry(_retryBudget, _dataSource.Clear);
        try
        {
            Run((connection, _) =>
            {
                if (access.Migrate)
                    PostgresSchema.Migrate(connection, Location);
                return 0;
            }, firstFailure => access.Waiting?.Invoke(
                $"The job store '{Location}' cannot be reached ({firstFailure.Message}); waiting up to {_retryBudget.TotalSeconds:0} s for it, as for a server that is restarting."));
        }
        catch
        {
            _dataSource.Dispose();
            throw;
        }
    }

    public string Location { get; }

    /// <summary>How many operations were retried after a transient failure since the store was opened.</summary>
    public int Retries => _retry.Retries;

    public JobRecord CreateOrUpdateJob(string name, JobOptions options) => Run((c, _) => Query(c, null, """
        INSERT INTO swin2sr.jobs (name, options, created_ms, updated_ms) VALUES ($1, $2, swin2sr.now_ms(), swin2sr.now_ms())
        ON CONFLICT (name) DO UPDATE SET options = excluded.options, updated_ms = excluded.updated_ms, stop_requested = false
        RETURNING id, name, options, created_ms, updated_ms, stop_requested
        """, ReadJob, name, options.ToJson()).Single());

    public JobRecord? FindJob(string name) => Run((c, _) =>
        Query(c, null, "SELECT id, name, options, created_ms, updated_ms, stop_requested FROM swin2sr.jobs WHERE name = $1", ReadJob, name).FirstOrDefault());

    public IReadOnlyList<JobRecord> ListJobs() => Run((c, _) =>
        Query(c, null, "SELECT id, name, options, created_ms, updated_ms, stop_requested FROM swin2sr.jobs ORDER BY created_ms, id", ReadJob));

    private static JobRecord ReadJob(NpgsqlDataReader r) => new(
        r.GetInt64(0), r.GetString(1), JobOptions.FromJson(r.GetString(2)), FromMs(r.GetInt64(3)), FromMs(r.GetInt64(4)), r.GetBoolean(5));

    public AddItemsResult AddItems(long jobId, IReadOnlyList<NewItem> items, bool redoDone, bool retryFailed = false) => InTransaction((c, tx, _) =>
    {
        var unique = items.DistinctBy(i => i.InputPath).ToList();
        // Read without locking: a hot folder's rerun gives every earlier input again, and locking each row would write
        // it (a row lock is recorded in the row: 358 bytes of WAL per item after a checkpoint, 36 MB a run for 100,000
        // inputs) and make workers' claims skip the locked Pending rows, which a worker can take for a job run dry.
        // Only the rows to queue again are written, and the UPDATE locks those; what it overwrites was, at worst,
        // another run queueing the same change, or a worker's outcome for the version of the file that changed since.
        var existing = Query(c, tx, """
            SELECT input_path, status, input_length, input_mtime_ms, options_hash, output_path, error_id, error_message FROM swin2sr.items
            WHERE job_id = $1 AND input_path = ANY($2)
            """,
            r => (Path: r.GetString(0), Status: (ItemStatus)r.GetInt16(1), Length: r.GetInt64(2), ModifiedMs: r.GetInt64(3), Hash: r.GetString(4), Output: r.GetString(5),
                ErrorId: r.IsDBNull(6) ? null : r.GetString(6), ErrorMessage: r.IsDBNull(7) ? null : r.GetString(7)),
            jobId, unique.Select(i => i.InputPath).ToArray()).ToDictionary(e => e.Path);
        var insert = new List<NewItem>();
        var requeue = new List<NewItem>();
        var done = new List<string>();
        var failedBefore = new List<EarlierFailure>();
        foreach (var item in unique)
        {
            if (!existing.TryGetValue(item.InputPath, out var row))
            {
                insert.Add(item);
                continue;
            }
            bool unchanged = row.Length == item.InputLength && row.ModifiedMs == item.InputModifiedMs && row.Hash == item.OptionsHash && row.Output == item.OutputPath;
            if (row.Status == ItemStatus.Succeeded && unchanged && !redoDone)
                done.Add(item.InputPath);
            else if (row.Status == ItemStatus.Failed && unchanged && !redoDone && !retryFailed && RecurringFailures.Recurs(row.ErrorId, item.InputLength))
                failedBefore.Add(new EarlierFailure(item.InputPath, row.ErrorId!, row.ErrorMessage));
            else if (!(row.Status is ItemStatus.Running or ItemStatus.Pending && unchanged))
                requeue.Add(item);
        }
        // Another host adding the same inputs at the same moment inserts them first: nothing to add then.
        int added = Execute(c, tx, """
            INSERT INTO swin2sr.items (job_id, input_path, output_path, output_format, input_length, input_mtime_ms, options_hash, status)
            SELECT $1, * , 0 FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::text[])
            ON CONFLICT (job_id, input_path) DO NOTHING
            """, [jobId, .. Columns(insert)]);
        int requeued = Execute(c, tx, """
            UPDATE swin2sr.items i SET output_path = n.output_path, output_format = n.output_format, input_length = n.input_length,
                input_mtime_ms = n.input_mtime_ms, options_hash = n.options_hash, status = 0, error_id = NULL, error_message = NULL, lost_leases = 0,
                lease_owner = NULL, lease_expires_ms = NULL, claim_token = NULL
            FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::text[])
                AS n(input_path, output_path, output_format, input_length, input_mtime_ms, options_hash)
            WHERE i.job_id = $1 AND i.input_path = n.input_path
            """, [jobId, .. Columns(requeue)]);
        return new AddItemsResult(added, requeued, done, failedBefore);
    });

    private static object[] Columns(List<NewItem> items) =>
    [
        items.Select(i => i.InputPath).ToArray(), items.Select(i => i.OutputPath).ToArray(), items.Select(i => i.OutputFormat).ToArray(),
        items.Select(i => i.InputLength).ToArray(), items.Select(i => i.InputModifiedMs).ToArray(), items.Select(i => i.OptionsHash).ToArray(),
    ];

    public bool SucceededWith(long jobId, string optionsHash) => Run((c, _) => Query(c, null,
        "SELECT EXISTS (SELECT 1 FROM swin2sr.items WHERE job_id = $1 AND status = 2 AND options_hash = $2)", r => r.GetBoolean(0), jobId, optionsHash).Single());

    public int RequeueFailed(long jobId) => Run((c, _) =>
        Execute(c, null, "UPDATE swin2sr.items SET status = 0, error_id = NULL, error_message = NULL, lost_leases = 0 WHERE job_id = $1 AND status = 3", jobId));

    public int RetireGoneInputs(long jobId, IReadOnlyList<long> itemIds, string message) => Run((c, _) => Execute(c, null, $"""
        UPDATE swin2sr.items SET status = 4, error_id = '{JobPlanner.InputGoneId}', error_message = $3
        WHERE job_id = $1 AND id = ANY($2) AND status = 3 AND error_id = 'InputNotFound'
        """, jobId, itemIds.ToArray(), message));

    public void RegisterWorker(long jobId, WorkerRecord worker) => Run((c, _) => Execute(c, null, """
        INSERT INTO swin2sr.workers (id, job_id, host, pid, process_start_ms, device, started_ms, heartbeat_ms, process_scope, accepts)
        VALUES ($1, $2, $3, $4, $5, $6, swin2sr.now_ms(), swin2sr.now_ms(), $7, $8)
        ON CONFLICT (id) DO UPDATE SET job_id = excluded.job_id, host = excluded.host, pid = excluded.pid, process_start_ms = excluded.process_start_ms,
            device = excluded.device, started_ms = excluded.started_ms, heartbeat_ms = excluded.heartbeat_ms, processed = 0, process_scope = excluded.process_scope,
            accepts = excluded.accepts
        """, worker.Id, jobId, worker.Host, worker.ProcessId, worker.ProcessStartMs, worker.Device, worker.ProcessScope, worker.Accepts));

    public void Heartbeat(long jobId, string workerId, DateTimeOffset leaseUntil) => Run((c, _) => Execute(c, null, """
        WITH alive AS (UPDATE swin2sr.workers SET heartbeat_ms = swin2sr.now_ms() WHERE id = $1)
        UPDATE swin2sr.items SET lease_expires_ms = swin2sr.now_ms() + $2 WHERE lease_owner = $1 AND status = 1
        """, workerId, LeaseMs(leaseUntil)));

    public void UnregisterWorker(long jobId, string workerId) => Run((c, _) => Execute(c, null, """
        WITH freed AS (UPDATE swin2sr.items SET status = 0, lease_owner = NULL, lease_expires_ms = NULL, claim_token = NULL WHERE lease_owner = $1 AND status = 1)
        DELETE FROM swin2sr.workers WHERE id = $1
        """, workerId));

    public IReadOnlyList<WorkerRecord> Workers(long jobId) => Run((c, _) => WorkersOf(c, jobId));

    /// <summary>
    /// Start and heartbeat times come back on this computer's clock (its now, less their age by the server's clock),
    /// so that judging a worker on another computer alive or dead does not depend on the two clocks agreeing.
    /// </summary>
    private static List<WorkerRecord> WorkersOf(NpgsqlConnection c, long jobId)
    {
        var now = DateTimeOffset.UtcNow;
        return Query(c, null, """
            SELECT id, host, pid, process_start_ms, device, swin2sr.now_ms() - started_ms, swin2sr.now_ms() - heartbeat_ms, processed, process_scope, accepts
            FROM swin2sr.workers WHERE job_id = $1 ORDER BY started_ms, id
            """,
            r => new WorkerRecord(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetInt64(3), r.GetString(4),
                now.AddMilliseconds(-r.GetInt64(5)), now.AddMilliseconds(-r.GetInt64(6)), r.GetInt64(7), r.NullableString(8), r.NullableString(9)),
            jobId);
    }

    // One statement in its own transaction: under read committed, every statement that begins after it returns sees
    // it (see IJobStore.SetAccepts).
    public void SetAccepts(long jobId, string workerId, string? accepts) => Run((c, _) =>
        Execute(c, null, "UPDATE swin2sr.workers SET accepts = $2 WHERE id = $1", workerId, accepts));

    public void ExpireWorkers(long jobId, IReadOnlyCollection<string> workerIds) => Run((c, _) => Execute(c, null, """
        WITH expired AS (UPDATE swin2sr.items SET lease_expires_ms = 0 WHERE lease_owner = ANY($1) AND status = 1)
        DELETE FROM swin2sr.workers WHERE id = ANY($1)
        """, (object)workerIds.ToArray()));

    // SKIP LOCKED passes over rows another worker is claiming right now instead of waiting for its transaction.
    // Two index scans, each locking what it takes (up to twice the claim, until the claim commits), rather than one
    // OR: that was planned as a walk of the primary key past every item done before (of every job in the database;
    // 13 ms a claim past 90,000), where the items waiting are many.
    internal const string FreshItems = """
        SELECT id FROM (
            SELECT id FROM (SELECT id FROM swin2sr.items WHERE job_id = $1 AND status = 0 AND lost_leases = 0
                ORDER BY id LIMIT $5 FOR UPDATE SKIP LOCKED) pending
            UNION ALL
            SELECT id FROM (SELECT id FROM swin2sr.items WHERE job_id = $1 AND status = 1 AND NOT work_begun AND lost_leases = 0
                AND lease_expires_ms < swin2sr.now_ms() ORDER BY id LIMIT $5 FOR UPDATE SKIP LOCKED) expired) fresh
        ORDER BY id LIMIT $5
        """;

    // The end of the longest queue of another live worker, half the difference to this worker's own. A row its owner
    // begins meanwhile is read again once locked, and then no longer matches: it stays with its owner.
    private const string QueuedByOthers = """
        WITH longest AS (
            SELECT lease_owner, count(*) AS queued FROM swin2sr.items
            WHERE job_id = $1 AND status = 1 AND NOT work_begun AND lease_owner <> $2 AND lease_expires_ms >= swin2sr.now_ms()
            GROUP BY lease_owner ORDER BY queued DESC LIMIT 1),
        mine AS (SELECT count(*) AS queued FROM swin2sr.items WHERE job_id = $1 AND status = 1 AND NOT work_begun AND lease_owner = $2)
        SELECT q.id FROM swin2sr.items q JOIN longest l ON q.lease_owner = l.lease_owner
        WHERE q.job_id = $1 AND q.status = 1 AND NOT q.work_begun
        ORDER BY q.id DESC LIMIT (SELECT greatest(0, least($5, (l.queued - m.queued) / 2)) FROM longest l, mine m) FOR UPDATE OF q SKIP LOCKED
        """;

    private const string FirstSuspect = """
        SELECT id FROM swin2sr.items
        WHERE job_id = $1 AND (lost_leases > 0 AND status = 0 OR status = 1 AND (work_begun OR lost_leases > 0) AND lease_expires_ms < swin2sr.now_ms())
        ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
        """;

    public IReadOnlyList<ClaimedItem> Claim(long jobId, string workerId, int max, DateTimeOffset leaseUntil) =>
        ClaimWhere(FreshItems, jobId, workerId, leaseUntil, max);

    public IReadOnlyList<ClaimedItem> StealQueued(long jobId, string workerId, int max, DateTimeOffset leaseUntil) =>
        ClaimWhere(QueuedByOthers, jobId, workerId, leaseUntil, max);

    public ClaimedItem? ClaimSuspect(long jobId, string workerId, DateTimeOffset leaseUntil) =>
        ClaimWhere(FirstSuspect, jobId, workerId, leaseUntil).SingleOrDefault();

    // Counts the attempt once however often it is repeated (a retry after a commit whose answer was lost).
    public bool TryBegin(string workerId, long itemId) => Run((c, _) => Execute(c, null, """
        UPDATE swin2sr.items SET attempts = attempts + CASE WHEN work_begun THEN 0 ELSE 1 END,
            open_claims = open_claims + CASE WHEN work_begun THEN 0 ELSE 1 END,
            started_ms = CASE WHEN work_begun THEN started_ms ELSE swin2sr.now_ms() END, work_begun = true
        WHERE id = $1 AND lease_owner = $2 AND status = 1
        """, itemId, workerId) == 1);

    public int ItemsHeldByOthers(long jobId, string workerId) => Run((c, _) => Query(c, null,
        "SELECT count(*) FROM swin2sr.items WHERE job_id = $1 AND status = 1 AND lease_owner <> $2", r => (int)r.GetInt64(0), jobId, workerId).Single());

    /// <summary>
    /// Leases the items <paramref name="which"/> selects, queued (not begun). Taking over a Running one that was begun
    /// (its lease expired) counts a lost lease; the attempt is counted when the new owner begins it.
    /// </summary>
    private List<ClaimedItem> ClaimWhere(string which, long jobId, string workerId, DateTimeOffset leaseUntil, params object[] parameters)
    {
        long leaseMs = LeaseMs(leaseUntil);
        var token = Guid.NewGuid();
        return Run((c, retry) =>
        {
            // A retried claim whose first attempt committed finds those items, rather than leasing more that no one would work on.
            List<ClaimedItem> claimed = retry
                ? Query(c, null, $"SELECT i.id, i.input_path, i.output_path, i.output_format, i.ever_written, i.open_claims, i.lost_leases, i.input_length, {OutputOwner} FROM swin2sr.items i WHERE i.lease_owner = $1 AND i.claim_token = $2 AND i.status = 1",
                    ReadClaimed, workerId, token)
                : [];
            if (claimed.Count == 0)
                claimed = Query(c, null, $"""
                    UPDATE swin2sr.items i SET status = 1, lease_owner = $2, lease_expires_ms = swin2sr.now_ms() + $3, claim_token = $4, work_begun = false,
                        lost_leases = i.lost_leases + CASE WHEN i.status = 1 AND i.work_begun THEN 1 ELSE 0 END
                    WHERE i.id IN ({which})
                    RETURNING i.id, i.input_path, i.output_path, i.output_format, i.ever_written, i.open_claims, i.lost_leases, i.input_length, {OutputOwner}
                    """, ReadClaimed, [jobId, workerId, leaseMs, token, .. parameters]);
            return claimed.OrderBy(i => i.Id).ToList();
        });
    }

    // The written item whose output file is item i's (ClaimedItem.OutputOwner): of this job, else of another job, for
    // another file (another path, and another size or time: not the same file moved), where i never wrote it.
    private const string OwnerOf = """
        FROM swin2sr.items o WHERE o.output_path = i.output_path AND o.ever_written AND o.id <> i.id
            AND (o.job_id = i.job_id OR (NOT i.ever_written AND o.input_path <> i.input_path
                AND NOT (o.input_length = i.input_length AND o.input_mtime_ms = i.input_mtime_ms)))
        ORDER BY o.job_id <> i.job_id, o.id LIMIT 1
        """;

    // Its input, and its job where another job's.
    private const string OutputOwner =
        $"(SELECT o.input_path {OwnerOf}), (SELECT CASE WHEN o.job_id <> i.job_id THEN (SELECT j.name FROM swin2sr.jobs j WHERE j.id = o.job_id) END {OwnerOf})";

    private static ClaimedItem ReadClaimed(NpgsqlDataReader r) =>
        ClaimedItem.FromStored(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetBoolean(4), r.GetInt32(5), r.GetInt32(6), r.GetInt64(7),
            r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9));

    /// <summary>
    /// One statement for the whole batch. Only items still leased by this worker change, so a retry after a commit
    /// whose answer was lost changes nothing (and counts nothing) the second time; the items it did commit then are
    /// found by the token it left on them (a claim token means nothing once an item is no longer Running).
    /// </summary>
    public IReadOnlySet<long> Complete(string workerId, IReadOnlyList<ItemOutcome> outcomes)
    {
        var ids = outcomes.Select(o => o.ItemId).ToArray();
        var token = Guid.NewGuid();
        return Run((c, retry) =>
        {
            var kept = CompleteLeased(c, workerId, outcomes, token).ToHashSet();
            if (retry)
                kept.UnionWith(Query(c, null, "SELECT id FROM swin2sr.items WHERE id = ANY($1) AND claim_token = $2 AND status <> 1", r => r.GetInt64(0), ids, token));
            return (IReadOnlySet<long>)kept;
        });
    }

    private static List<long> CompleteLeased(NpgsqlConnection c, string workerId, IReadOnlyList<ItemOutcome> outcomes, Guid token) => Query(c, null, """
        WITH done AS (
            UPDATE swin2sr.items i SET status = o.status, lease_owner = NULL, lease_expires_ms = NULL, claim_token = $12, open_claims = 0,
                error_id = o.error_id, error_message = o.error_message, finished_ms = swin2sr.now_ms(), duration_ms = o.duration_ms,
                input_width = o.iw, input_height = o.ih, output_width = o.ow, output_height = o.oh, metrics = o.metrics, warnings = o.warnings,
                ever_written = i.ever_written OR o.status = 2, options_hash = coalesce(o.options_hash, i.options_hash),
                input_length = coalesce(o.input_length, i.input_length), input_mtime_ms = coalesce(o.input_mtime_ms, i.input_mtime_ms)
            FROM unnest($2::bigint[], $3::smallint[], $4::text[], $5::text[], $6::bigint[], $7::integer[], $8::integer[], $9::integer[], $10::integer[], $11::text[], $13::text[],
                    $14::bigint[], $15::bigint[], $16::text[])
                AS o(id, status, error_id, error_message, duration_ms, iw, ih, ow, oh, metrics, options_hash, input_length, input_mtime_ms, warnings)
            WHERE i.id = o.id AND i.lease_owner = $1 AND i.status = 1
            RETURNING i.id, i.status),
        -- A worker's count and rate are of images it worked on: an output that existed already cost it nothing.
        counted AS (SELECT count(*) FILTER (WHERE status <> 4) AS worked FROM done),
        credited AS (
            UPDATE swin2sr.workers w SET processed = w.processed + counted.worked, heartbeat_ms = swin2sr.now_ms() FROM counted WHERE w.id = $1)
        SELECT id FROM done
        """, r => r.GetInt64(0),
        workerId,
        outcomes.Select(o => o.ItemId).ToArray(),
        outcomes.Select(o => (short)o.Status).ToArray(),
        outcomes.Select(o => o.ErrorId).ToArray(),
        outcomes.Select(o => o.ErrorMessage).ToArray(),
        outcomes.Select(o => o.DurationMs).ToArray(),
        outcomes.Select(o => o.InputWidth).ToArray(),
        outcomes.Select(o => o.InputHeight).ToArray(),
        outcomes.Select(o => o.OutputWidth).ToArray(),
        outcomes.Select(o => o.OutputHeight).ToArray(),
        outcomes.Select(o => o.Metrics).ToArray(),
        token,
        outcomes.Select(o => o.OptionsHash).ToArray(),
        outcomes.Select(o => o.ReadAs?.Length).ToArray(),
        outcomes.Select(o => o.ReadAs?.ModifiedMs).ToArray(),
        outcomes.Select(o => ItemWarnings.ToStored(o.Warnings)).ToArray());

    public void RequestStop(long jobId) => Run((c, _) => Execute(c, null, "UPDATE swin2sr.jobs SET stop_requested = true WHERE id = $1", jobId));

    public bool IsStopRequested(long jobId) => Run((c, _) =>
        Query(c, null, "SELECT stop_requested FROM swin2sr.jobs WHERE id = $1", r => r.GetBoolean(0), jobId).FirstOrDefault());

    public JobSummary Summarize(JobRecord job, Func<WorkerRecord, bool> isAlive) => Run((c, _) =>
    {
        var counts = new long[5];
        foreach (var (status, count) in Query(c, null, $"SELECT {ShownStatus} AS shown, count(*) FROM swin2sr.items i WHERE i.job_id = $1 GROUP BY shown", r => (r.GetInt16(0), r.GetInt64(1)), job.Id))
            counts[status] = count;
        var (firstStarted, lastFinished, recent, stretch, bytesLeft, now, withWarnings) = Query(c, null, """
            WITH last AS (SELECT max(finished_ms) - $2 AS since FROM swin2sr.items WHERE job_id = $1 AND status IN (2, 3))
            SELECT min(started_ms), max(finished_ms) FILTER (WHERE status IN (2, 3)),
                   count(*) FILTER (WHERE status IN (2, 3) AND finished_ms >= swin2sr.now_ms() - $2),
                   coalesce(sum(input_length) FILTER (WHERE status IN (2, 3) AND finished_ms >= swin2sr.now_ms() - $2), 0)::bigint,
                   min(started_ms) FILTER (WHERE status IN (2, 3) AND finished_ms >= swin2sr.now_ms() - $2),
                   count(*) FILTER (WHERE status IN (2, 3) AND finished_ms >= (SELECT since FROM last)),
                   coalesce(sum(input_length) FILTER (WHERE status IN (2, 3) AND finished_ms >= (SELECT since FROM last)), 0)::bigint,
                   min(started_ms) FILTER (WHERE status IN (2, 3) AND finished_ms >= (SELECT since FROM last)),
                   coalesce(sum(input_length) FILTER (WHERE status IN (0, 1)), 0)::bigint,
                   swin2sr.now_ms(),
                   count(*) FILTER (WHERE status = 2 AND warnings IS NOT NULL)
            FROM swin2sr.items WHERE job_id = $1
            """,
            r => (r.NullableInt64(0), r.NullableInt64(1), new Stretch(r.GetInt64(2), r.GetInt64(3), r.NullableInt64(4)),
                new Stretch(r.GetInt64(5), r.GetInt64(6), r.NullableInt64(7)), r.GetInt64(8), r.GetInt64(9), r.GetInt64(10)),
            job.Id, RateWindowMs).Single();
        var workers = WorkersOf(c, job.Id).Where(isAlive).ToList();
        return JobSummaries.Build(job, counts, firstStarted, lastFinished, recent, stretch, bytesLeft, RateWindowMs, now, workers) with { WithWarnings = withWarnings };
    });

    public IReadOnlyList<ItemRecord> Items(long jobId, IReadOnlyCollection<ItemStatus>? statuses, ItemPage page = default) => Run((c, _) => Query(c, null, ItemsListing,
        r => new ItemRecord(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), (ItemStatus)r.GetInt16(4), r.GetInt32(5),
            r.NullableString(6), r.NullableString(7), r.NullableTime(8), r.NullableTime(9), r.NullableInt64(10),
            r.NullableInt(11), r.NullableInt(12), r.NullableInt(13), r.NullableInt(14), r.NullableString(15), r.NullableString(16),
            ItemWarnings.FromStored(r.NullableString(17))),
        // LIMIT NULL is none.
        [.. ItemsMatchingParameters(jobId, statuses), page.Take, page.Skip]));

    /// <summary>
    /// The listing of <see cref="Items"/>, $4 and $5 its page: items_by_job gives a job's items in id order, so a page
    /// reads its own rows. It orders by job_id too, which <see cref="ItemsMatching"/> bounds by a range for that.
    /// </summary>
    internal const string ItemsListing = $"""
        SELECT i.id, j.name, i.input_path, i.output_path, {ShownStatus}, i.attempts, i.error_id, i.error_message, i.started_ms, i.finished_ms,
               i.duration_ms, i.input_width, i.input_height, i.output_width, i.output_height, i.lease_owner, i.metrics, i.warnings
        FROM swin2sr.items i JOIN swin2sr.jobs j ON j.id = i.job_id
        WHERE {ItemsMatching}
        ORDER BY i.job_id, i.id LIMIT $4 OFFSET $5
        """;

    public long CountItems(long jobId, IReadOnlyCollection<ItemStatus>? statuses) => Run((c, _) =>
        Query(c, null, $"SELECT count(*) FROM swin2sr.items i WHERE {ItemsMatching}", r => r.GetInt64(0), ItemsMatchingParameters(jobId, statuses)).Single());

    /// <summary>
    /// The items of job $1 shown with the statuses $2 (every item when null), stored with $3, for a query on items as
    /// i. The job is a range, not an equality, for the listing's order: after job_id = $1, PostgreSQL drops job_id from
    /// an ORDER BY, and the primary key gives id order too; for a job half the table, costed alike, a page of 20 then
    /// walked the primary key past every item of the jobs before it (100,000 rows). Only items_by_job gives job_id, id.
    /// </summary>
    private const string ItemsMatching = $"i.job_id BETWEEN $1 AND $1 AND ($2::smallint[] IS NULL OR i.status = ANY($3) AND {ShownStatus} = ANY($2))";

    private static object?[] ItemsMatchingParameters(long jobId, IReadOnlyCollection<ItemStatus>? statuses) =>
        [jobId, statuses is { Count: > 0 } ? statuses.Select(s => (short)s).ToArray() : null, JobStatuses.StoredAs(statuses).Select(s => (short)s).ToArray()];

    public void RemoveJob(long jobId) => Run((c, _) => Execute(c, null, "DELETE FROM swin2sr.jobs WHERE id = $1", jobId));

    public void Dispose() => _dataSource.Dispose();

    /// <summary>A lease as a duration from now: the server adds it to its own clock.</summary>
    private static long LeaseMs(DateTimeOffset leaseUntil) => (long)(leaseUntil - DateTimeOffset.UtcNow).TotalMilliseconds;


    /// <summary>Runs one operation on a pooled connection, retrying transient failures; failures become clear store errors.</summary>
    private T Run<T>(Func<NpgsqlConnection, bool, T> operation, Action<Exception>? beforeFirstWait = null)
    {
        var trying = Stopwatch.StartNew();
        try
        {
            return _retry.Run(retry =>
            {
                using var connection = _dataSource.OpenConnection();
                return operation(connection, retry);
            }, beforeFirstWait);
        }
        catch (NpgsqlException e)
        {
            throw Describe(e, trying.Elapsed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Npgsql reading a pgpass file (Passfile=, PGPASSFILE) that is missing or unreadable.
            throw new JobStoreException($"The job store '{Location}' cannot be used: {e.Message}", e);
        }
    }

    private T InTransaction<T>(Func<NpgsqlConnection, NpgsqlTransaction, bool, T> operation) => Run((connection, retry) =>
    {
        using var tx = connection.BeginTransaction();
        var result = operation(connection, tx, retry);
        tx.Commit();
        return result;
    });

    /// <param name="tried">How long it was tried: the retries stop before the budget when the next wait would pass it.</param>
    private JobStoreException Describe(NpgsqlException e, TimeSpan tried) => e switch
    {
        _ when TransientRetry.IsUnknownHost(e) => new JobStoreException(
            $"The job store '{Location}' cannot be reached: its host name does not resolve ({e.InnerException!.Message}). Check the host of the connection string.", e),
        // Retried like a restart (connections free up as workers end), but the remedy is the server's setting, not its uptime.
        PostgresException { SqlState: "53300" } p => new JobStoreException(
            $"The job store '{Location}' had no connection to spare: tried for {tried.TotalSeconds:0.0} s, of up to {_retryBudget.TotalSeconds:0} s ({p.MessageText}). "
            + "Each worker process uses a few connections: raise the server's max_connections (or the role's CONNECTION LIMIT), or run fewer workers.", e, TooManyConnectionsErrorId),
        _ when TransientRetry.IsTransient(e) => new JobStoreException(
            $"The job store '{Location}' could not be reached: tried for {tried.TotalSeconds:0.0} s, of up to {_retryBudget.TotalSeconds:0} s (the server is down, restarting or unreachable): {e.Message}", e),
        _ when MissingPassword.Is(e) => new JobStoreException(
            $"The job store '{Location}' asks for a password, and none was given: not in the connection string, not with -Credential, "
            + $"and no line of the pgpass file '{_passwordFile}' matches its host, port, database and user (or the file does not exist). "
            + "Give the password in one of those, in the profile of the account that runs the command.", e, "JobStoreAccessDenied"),
        PostgresException { SqlState: var state } p when state.StartsWith("28", StringComparison.Ordinal) => new JobStoreException(
            $"The job store '{Location}' refused the login: {p.MessageText} (the password came from {_passwordSource}). "
            + "Give the right one with -Credential, in the connection string, or in a pgpass file ($env:PGPASSWORD, when set, comes before the pgpass file).", e, "JobStoreAccessDenied"),
        PostgresException { SqlState: "42501" } p => new JobStoreException(
            $"The job store '{Location}' lacks a privilege: {p.MessageText}. The first use needs a role with CREATE on the database; later ones need the tables of schema swin2sr.", e, "JobStoreAccessDenied"),
        PostgresException p => new JobStoreException($"The job store '{Location}' cannot be used: {p.MessageText} ({p.SqlState}).", e),
        _ => new JobStoreException($"The job store '{Location}' cannot be used: {e.Message}", e),
    };

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, object?[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, tx);
        foreach (var value in parameters)
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        return command;
    }

    private static int Execute(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, params object?[] parameters)
    {
        using var command = Command(connection, tx, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static List<T> Query<T>(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, Func<NpgsqlDataReader, T> read, params object?[] parameters)
    {
        using var command = Command(connection, tx, sql, parameters);
        using var reader = command.ExecuteReader();
        var list = new List<T>();
        while (reader.Read())
            list.Add(read(reader));
        return list;
    }
}
