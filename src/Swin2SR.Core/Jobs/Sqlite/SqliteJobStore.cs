using Microsoft.Data.Sqlite;
using static Swin2SR.Core.Jobs.StoredValues;

namespace Swin2SR.Core.Jobs.Sqlite;

/// <summary>
/// The job store in one SQLite file: WAL mode (readers never block the writer, so Get-Swin2SRJob from another
/// session costs the workers nothing), a busy timeout so processes sharing the file queue rather than fail,
/// synchronous=NORMAL (a killed process loses nothing committed; only a power cut can drop the last commits,
/// and those items are then simply done again). One connection per store object, used under a lock.
/// </summary>
public sealed class SqliteJobStore : IJobStore
{
    private readonly SqliteConnection _connection;
    private readonly object _gate = new();
    private readonly TimeSpan _busyTimeout;

    /// <param name="busyTimeout">How long to wait for another process's write lock before failing (default 30 s).</param>
    /// <param name="createIfMissing">False: a file that does not exist is JobStoreNotFound; no folder or file is created.</param>
    /// <param name="migrate">False: the file is read as it is (no table is created or upgraded, the journal mode is left).</param>
    public SqliteJobStore(string path, TimeSpan? busyTimeout = null, bool createIfMissing = true, bool migrate = true)
    {
        var timeout = _busyTimeout = busyTimeout ?? TimeSpan.FromSeconds(30);
        Location = Path.GetFullPath(path);
        // SQLite reports a folder as a file it cannot open ("read-only"), and a status command as a store that does
        // not exist; the likely mistake is a folder given for the file.
        if (Directory.Exists(Location))
            throw new JobStoreException($"The job store '{Location}' is a folder: give the path of the store's file, such as '{Path.Combine(Location, "jobs.db")}'.", errorId: "JobStoreInvalid");
        if (!createIfMissing && !File.Exists(Location))
            throw new JobStoreException($"The job store '{Location}' does not exist: check the path (a store is created by the first Invoke-Swin2SRUpscale that uses it).", errorId: NotFoundErrorId);
        try
        {
            if (createIfMissing)
                Directory.CreateDirectory(Path.GetDirectoryName(Location)!);
            _connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = Location,
                // Without Create, a file deleted since the check above is an error rather than a new, empty store.
                Mode = createIfMissing ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
                Pooling = false,
                DefaultTimeout = (int)Math.Ceiling(timeout.TotalSeconds),
            }.ToString());
            _connection.Open();
            Execute($"PRAGMA busy_timeout = {(long)timeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
            if (migrate)
            {
                // WAL is a lasting property of the file: a store read as it is (tab completion) keeps the mode it was created with.
                Execute("PRAGMA journal_mode = WAL;");
                Migrate();
            }
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            _connection?.Dispose();
            throw Describe(e);
        }
    }

    /// <summary>The error id of a store that does not exist, opened with createIfMissing false.</summary>
    public const string NotFoundErrorId = "JobStoreNotFound";

    /// <summary>The error id of a store whose disk is full.</summary>
    public const string FullErrorId = "JobStoreFull";

    public string Location { get; }

    private JobStoreException Describe(Exception e) => e switch
    {
        SqliteException { SqliteErrorCode: 11 or 26 } => new JobStoreException($"The job store '{Location}' is not a valid job database (corrupt, or another kind of file): {e.Message}", e, "JobStoreCorrupt"),
        SqliteException { SqliteErrorCode: 8 or 14 } or UnauthorizedAccessException => new JobStoreException($"The job store '{Location}' cannot be written (read-only folder or file, or no permission): {e.Message}", e, "JobStoreReadOnly"),
        // SQLITE_FULL: the disk that holds the file (or its WAL) has no room for the next commit.
        SqliteException { SqliteErrorCode: 13 } => new JobStoreException($"The disk that holds the job store '{Location}' is full: {e.Message}", e, FullErrorId),
        SqliteException { SqliteErrorCode: 5 or 6 } => new JobStoreException($"The job store '{Location}' stayed locked by another process for the whole busy timeout, {_busyTimeout.TotalSeconds:0.#} s: {e.Message}", e, "JobStoreLocked"),
        _ => new JobStoreException($"The job store '{Location}' cannot be used: {e.Message}", e),
    };

    private void Migrate()
    {
        Execute("CREATE TABLE IF NOT EXISTS schema_info (version INTEGER NOT NULL)");
        // A store that is up to date is only read: opening it takes no write lock from the workers.
        if (SchemaVersion(null) == SqliteSchema.Migrations.Length)
            return;
        // BEGIN IMMEDIATE (the default here) waits for another process upgrading the file at this moment, such as a
        // second worker creating the same new store, or Get-Swin2SRJob opening a store a run has just created; read
        // after that wait, the version is its own.
        using var tx = _connection.BeginTransaction();
        long version = SchemaVersion(tx);
        if (version > SqliteSchema.Migrations.Length)
            throw new JobStoreException($"The job store '{Location}' has schema version {version}, newer than this module knows ({SqliteSchema.Migrations.Length}): update the module.", errorId: "JobStoreTooNew");
        for (long v = version; v < SqliteSchema.Migrations.Length; v++)
        {
            Execute(SqliteSchema.Migrations[v], tx);
            Execute($"INSERT INTO schema_info (version) VALUES ({v + 1})", tx);
        }
        tx.Commit();
    }

    private long SchemaVersion(SqliteTransaction? tx) => Scalar<long?>("SELECT MAX(version) FROM schema_info", tx) ?? 0;

    public JobRecord CreateOrUpdateJob(string name, JobOptions options) => Locked(() =>
    {
        long now = Now();
        Execute("""
            INSERT INTO jobs (name, options, created_ms, updated_ms) VALUES ($name, $options, $now, $now)
            ON CONFLICT (name) DO UPDATE SET options = excluded.options, updated_ms = excluded.updated_ms, stop_requested = 0
            """, null, ("$name", name), ("$options", options.ToJson()), ("$now", now));
        return FindJobUnlocked(name)!;
    });

    public JobRecord? FindJob(string name) => Locked(() => FindJobUnlocked(name));

    private JobRecord? FindJobUnlocked(string name) =>
        Query("SELECT id, name, options, created_ms, updated_ms, stop_requested FROM jobs WHERE name = $name", ReadJob, ("$name", name)).FirstOrDefault();

    public IReadOnlyList<JobRecord> ListJobs() => Locked(() =>
        Query("SELECT id, name, options, created_ms, updated_ms, stop_requested FROM jobs ORDER BY created_ms, id", ReadJob));

    private static JobRecord ReadJob(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), JobOptions.FromJson(r.GetString(2)), FromMs(r.GetInt64(3)), FromMs(r.GetInt64(4)), r.GetInt64(5) != 0);

    public AddItemsResult AddItems(long jobId, IReadOnlyList<NewItem> items, bool redoDone, bool retryFailed = false) => Locked(() =>
    {
        using var tx = _connection.BeginTransaction();
        using var find = Command("""
            SELECT id, status, input_length, input_mtime_ms, options_hash, output_path, error_id, error_message
            FROM items WHERE job_id = $job AND input_path = $path
            """, tx);
        var findPath = find.Parameters.Add("$path", SqliteType.Text);
        find.Parameters.AddWithValue("$job", jobId);
        using var insert = Command("""
            INSERT INTO items (job_id, input_path, output_path, output_format, input_length, input_mtime_ms, options_hash, status)
            VALUES ($job, $path, $output, $format, $length, $mtime, $hash, 0)
            """, tx);
        using var requeue = Command("""
            UPDATE items SET output_path = $output, output_format = $format, input_length = $length, input_mtime_ms = $mtime,
                options_hash = $hash, status = 0, error_id = NULL, error_message = NULL, lost_leases = 0
            WHERE job_id = $job AND input_path = $path
            """, tx);
        int added = 0, requeued = 0;
        var done = new List<string>();
        var failedBefore = new List<EarlierFailure>();
        foreach (var item in items)
        {
            findPath.Value = item.InputPath;
            using (var reader = find.ExecuteReader())
            {
                if (reader.Read())
                {
                    var status = (ItemStatus)reader.GetInt64(1);
                    bool unchanged = reader.GetInt64(2) == item.InputLength && reader.GetInt64(3) == item.InputModifiedMs
                        && reader.GetString(4) == item.OptionsHash && reader.GetString(5) == item.OutputPath;
                    if (status == ItemStatus.Succeeded && unchanged && !redoDone)
                    {
                        done.Add(item.InputPath);
                        continue;
                    }
                    if (status is ItemStatus.Running or ItemStatus.Pending && unchanged)
                        continue;
                    if (status == ItemStatus.Failed && unchanged && !redoDone && !retryFailed && RecurringFailures.Recurs(reader.IsDBNull(6) ? null : reader.GetString(6), item.InputLength))
                    {
                        failedBefore.Add(new EarlierFailure(item.InputPath, reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7)));
                        continue;
                    }
                    reader.Close();
                    Bind(requeue, jobId, item);
                    requeue.ExecuteNonQuery();
                    requeued++;
                    continue;
                }
            }
            Bind(insert, jobId, item);
            insert.ExecuteNonQuery();
            added++;
        }
        tx.Commit();
        return new AddItemsResult(added, requeued, done, failedBefore);
    });

    private static void Bind(SqliteCommand command, long jobId, NewItem item)
    {
        command.Parameters.Clear();
        command.Parameters.AddWithValue("$job", jobId);
        command.Parameters.AddWithValue("$path", item.InputPath);
        command.Parameters.AddWithValue("$output", item.OutputPath);
        command.Parameters.AddWithValue("$format", item.OutputFormat);
        command.Parameters.AddWithValue("$length", item.InputLength);
        command.Parameters.AddWithValue("$mtime", item.InputModifiedMs);
        command.Parameters.AddWithValue("$hash", item.OptionsHash);
    }

    public bool SucceededWith(long jobId, string optionsHash) => Locked(() => Scalar<long?>(
        "SELECT EXISTS (SELECT 1 FROM items WHERE job_id = $job AND status = 2 AND options_hash = $hash)", null, ("$job", jobId), ("$hash", optionsHash)) == 1);

    public int RequeueFailed(long jobId) => Locked(() =>
        Execute("UPDATE items SET status = 0, error_id = NULL, error_message = NULL, lost_leases = 0 WHERE job_id = $job AND status = 3", null, ("$job", jobId)));

    public int RetireGoneInputs(long jobId, IReadOnlyList<long> itemIds, string message) => Locked(() =>
    {
        using var tx = _connection.BeginTransaction();
        int retired = itemIds.Sum(id => Execute($"""
            UPDATE items SET status = 4, error_id = '{JobPlanner.InputGoneId}', error_message = $message
            WHERE id = $id AND job_id = $job AND status = 3 AND error_id = 'InputNotFound'
            """, tx, ("$message", message), ("$id", id), ("$job", jobId)));
        tx.Commit();
        return retired;
    });

    public void RegisterWorker(long jobId, WorkerRecord worker) => Locked(() => Execute("""
        INSERT OR REPLACE INTO workers (id, job_id, host, pid, process_start_ms, device, started_ms, heartbeat_ms, process_scope, accepts)
        VALUES ($id, $job, $host, $pid, $start, $device, $now, $now, $scope, $accepts)
        """, null, ("$id", worker.Id), ("$job", jobId), ("$host", worker.Host), ("$pid", worker.ProcessId),
        ("$start", worker.ProcessStartMs), ("$device", worker.Device), ("$now", Now()), ("$scope", (object?)worker.ProcessScope ?? DBNull.Value),
        ("$accepts", (object?)worker.Accepts ?? DBNull.Value)));

    public void Heartbeat(long jobId, string workerId, DateTimeOffset leaseUntil) => Locked(() =>
    {
        using var tx = _connection.BeginTransaction();
        Execute("UPDATE workers SET heartbeat_ms = $now WHERE id = $id", tx, ("$now", Now()), ("$id", workerId));
        Execute("UPDATE items SET lease_expires_ms = $until WHERE lease_owner = $id AND status = 1", tx,
            ("$until", leaseUntil.ToUnixTimeMilliseconds()), ("$id", workerId));
        tx.Commit();
        return 0;
    });

    public void UnregisterWorker(long jobId, string workerId) => Locked(() =>
    {
        using var tx = _connection.BeginTransaction();
        Execute("UPDATE items SET status = 0, lease_owner = NULL, lease_expires_ms = NULL WHERE lease_owner = $id AND status = 1", tx, ("$id", workerId));
        Execute("DELETE FROM workers WHERE id = $id", tx, ("$id", workerId));
        tx.Commit();
        return 0;
    });

    public IReadOnlyList<WorkerRecord> Workers(long jobId) => Locked(() => WorkersUnlocked(jobId));

    private List<WorkerRecord> WorkersUnlocked(long jobId) => Query(
        "SELECT id, host, pid, process_start_ms, device, started_ms, heartbeat_ms, processed, process_scope, accepts FROM workers WHERE job_id = $job ORDER BY started_ms",
        r => new WorkerRecord(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetInt64(3), r.GetString(4), FromMs(r.GetInt64(5)), FromMs(r.GetInt64(6)), r.GetInt64(7),
            r.NullableString(8), r.NullableString(9)),
        ("$job", jobId));

    // One statement, committed on its own: see IJobStore.SetAccepts.
    public void SetAccepts(long jobId, string workerId, string? accepts) => Locked(() =>
        Execute("UPDATE workers SET accepts = $accepts WHERE id = $id", null, ("$accepts", (object?)accepts ?? DBNull.Value), ("$id", workerId)));

    public void ExpireWorkers(long jobId, IReadOnlyCollection<string> workerIds) => Locked(() =>
    {
        using var tx = _connection.BeginTransaction();
        foreach (var id in workerIds)
        {
            Execute("UPDATE items SET lease_expires_ms = 0 WHERE lease_owner = $id AND status = 1", tx, ("$id", id));
            Execute("DELETE FROM workers WHERE id = $id", tx, ("$id", id));
        }
        tx.Commit();
        return 0;
    });

    // Two index range scans (fresh items, then queued items whose lease ran out) rather than one OR, which would scan the whole job.
    public IReadOnlyList<ClaimedItem> Claim(long jobId, string workerId, int max, DateTimeOffset leaseUntil) => Locked(() => ClaimWhere("""
        id IN (SELECT id FROM (
            SELECT id FROM (SELECT id FROM items WHERE job_id = $job AND status = 0 AND lost_leases = 0 ORDER BY id LIMIT $max)
            UNION ALL
            SELECT id FROM (SELECT id FROM items WHERE job_id = $job AND status = 1 AND work_begun = 0 AND lost_leases = 0 AND lease_expires_ms < $now ORDER BY id LIMIT $max))
        ORDER BY id LIMIT $max)
        """, jobId, workerId, leaseUntil, ("$max", max)));

    public bool TryBegin(string workerId, long itemId) => Locked(() => Execute("""
        UPDATE items SET attempts = attempts + 1 - work_begun, open_claims = open_claims + 1 - work_begun,
            started_ms = CASE WHEN work_begun = 0 THEN $now ELSE started_ms END, work_begun = 1
        WHERE id = $id AND lease_owner = $worker AND status = 1
        """, null, ("$now", Now()), ("$id", itemId), ("$worker", workerId)) == 1);

    public IReadOnlyList<ClaimedItem> StealQueued(long jobId, string workerId, int max, DateTimeOffset leaseUntil) => Locked(() =>
    {
        var longest = Query("""
            SELECT lease_owner, COUNT(*) AS queued FROM items
            WHERE job_id = $job AND status = 1 AND work_begun = 0 AND lease_owner <> $worker AND lease_expires_ms >= $now
            GROUP BY lease_owner ORDER BY queued DESC LIMIT 1
            """, r => (Owner: r.GetString(0), Queued: r.GetInt32(1)), ("$job", jobId), ("$worker", workerId), ("$now", Now())).SingleOrDefault();
        long mine = Scalar<long?>("SELECT COUNT(*) FROM items WHERE job_id = $job AND status = 1 AND work_begun = 0 AND lease_owner = $worker",
            null, ("$job", jobId), ("$worker", workerId)) ?? 0;
        int take = (int)Math.Min(max, (longest.Queued - mine) / 2);
        if (take <= 0)
            return [];
        // The conditions are checked again as the rows change: an item its owner began meanwhile stays with it.
        return ClaimWhere("""
            id IN (SELECT id FROM items WHERE job_id = $job AND status = 1 AND work_begun = 0 AND lease_owner = $owner ORDER BY id DESC LIMIT $max)
            """, jobId, workerId, leaseUntil, ("$owner", longest.Owner), ("$max", take));
    });

    // Two index range scans (suspects waiting, then expired leases) rather than one OR, which would scan the whole job.
    public ClaimedItem? ClaimSuspect(long jobId, string workerId, DateTimeOffset leaseUntil) => Locked(() => ClaimWhere("""
        id = (SELECT id FROM (
            SELECT id FROM items WHERE job_id = $job AND lost_leases > 0 AND status = 0
            UNION ALL
            SELECT id FROM items WHERE job_id = $job AND status = 1 AND (work_begun = 1 OR lost_leases > 0) AND lease_expires_ms < $now)
        ORDER BY id LIMIT 1)
        """, jobId, workerId, leaseUntil).SingleOrDefault());

    /// <summary>
    /// Leases the items <paramref name="which"/> selects, queued (not begun). Taking over a Running one that was begun
    /// (its lease expired) counts a lost lease; the attempt is counted when the new owner begins it.
    /// </summary>
    private List<ClaimedItem> ClaimWhere(string which, long jobId, string workerId, DateTimeOffset leaseUntil, params (string Name, object Value)[] parameters)
    {
        using var tx = _connection.BeginTransaction();
        var claimed = Query($"""
            UPDATE items SET status = 1, lease_owner = $worker, lease_expires_ms = $until, work_begun = 0,
                lost_leases = lost_leases + (status = 1 AND work_begun = 1)
            WHERE {which}
            RETURNING id, input_path, output_path, output_format, ever_written, open_claims, lost_leases, input_length,
                (SELECT o.input_path {OutputOwner}),
                (SELECT CASE WHEN o.job_id <> items.job_id THEN (SELECT name FROM jobs WHERE id = o.job_id) END {OutputOwner})
            """,
            r => ClaimedItem.FromStored(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64(4) != 0, r.GetInt32(5), r.GetInt32(6), r.GetInt64(7),
                r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9)),
            tx, [("$worker", workerId), ("$until", leaseUntil.ToUnixTimeMilliseconds()), ("$now", Now()), ("$job", jobId), .. parameters]);
        tx.Commit();
        return claimed.OrderBy(c => c.Id).ToList();
    }

    // The written item whose output file is this item's (ClaimedItem.OutputOwner): of this job, else of another job, for
    // another file (another path, and another size or time: not the same file moved), where this item never wrote it.
    private const string OutputOwner = """
        FROM items o WHERE o.output_path = items.output_path AND o.ever_written = 1 AND o.id <> items.id
            AND (o.job_id = items.job_id OR (items.ever_written = 0 AND o.input_path <> items.input_path
                AND NOT (o.input_length = items.input_length AND o.input_mtime_ms = items.input_mtime_ms)))
        ORDER BY o.job_id <> items.job_id, o.id LIMIT 1
        """;

    public int ItemsHeldByOthers(long jobId, string workerId) => Locked(() => (int)(Scalar<long?>(
        "SELECT COUNT(*) FROM items WHERE job_id = $job AND status = 1 AND lease_owner <> $worker", null, ("$job", jobId), ("$worker", workerId)) ?? 0));

    public IReadOnlySet<long> Complete(string workerId, IReadOnlyList<ItemOutcome> outcomes) => Locked(() =>
    {
        long now = Now();
        using var tx = _connection.BeginTransaction();
        using var update = Command("""
            UPDATE items SET status = $status, lease_owner = NULL, lease_expires_ms = NULL, open_claims = 0, error_id = $errorId, error_message = $error,
                finished_ms = $now, duration_ms = $duration, input_width = $iw, input_height = $ih, output_width = $ow, output_height = $oh,
                metrics = $metrics, warnings = $warnings, ever_written = ever_written OR $written, options_hash = coalesce($hash, options_hash),
                input_length = coalesce($length, input_length), input_mtime_ms = coalesce($mtime, input_mtime_ms)
            WHERE id = $id AND lease_owner = $worker AND status = 1
            """, tx);
        var kept = new HashSet<long>();
        int worked = 0;
        foreach (var o in outcomes)
        {
            update.Parameters.Clear();
            update.Parameters.AddWithValue("$status", (int)o.Status);
            update.Parameters.AddWithValue("$errorId", (object?)o.ErrorId ?? DBNull.Value);
            update.Parameters.AddWithValue("$error", (object?)o.ErrorMessage ?? DBNull.Value);
            update.Parameters.AddWithValue("$now", now);
            update.Parameters.AddWithValue("$duration", o.DurationMs);
            update.Parameters.AddWithValue("$iw", o.InputWidth);
            update.Parameters.AddWithValue("$ih", o.InputHeight);
            update.Parameters.AddWithValue("$ow", o.OutputWidth);
            update.Parameters.AddWithValue("$oh", o.OutputHeight);
            update.Parameters.AddWithValue("$metrics", (object?)o.Metrics ?? DBNull.Value);
            update.Parameters.AddWithValue("$warnings", (object?)ItemWarnings.ToStored(o.Warnings) ?? DBNull.Value);
            update.Parameters.AddWithValue("$written", o.Status == ItemStatus.Succeeded ? 1 : 0);
            update.Parameters.AddWithValue("$hash", (object?)o.OptionsHash ?? DBNull.Value);
            update.Parameters.AddWithValue("$length", (object?)o.ReadAs?.Length ?? DBNull.Value);
            update.Parameters.AddWithValue("$mtime", (object?)o.ReadAs?.ModifiedMs ?? DBNull.Value);
            update.Parameters.AddWithValue("$id", o.ItemId);
            update.Parameters.AddWithValue("$worker", workerId);
            int changed = update.ExecuteNonQuery();
            if (changed > 0)
                kept.Add(o.ItemId);
            if (o.Status != ItemStatus.Skipped)
                worked += changed;
        }
        // A worker's count and rate are of images it worked on: an output that existed already cost it nothing.
        Execute("UPDATE workers SET processed = processed + $n, heartbeat_ms = $now WHERE id = $worker", tx, ("$n", worked), ("$now", now), ("$worker", workerId));
        tx.Commit();
        return (IReadOnlySet<long>)kept;
    });

    public void RequestStop(long jobId) => Locked(() => Execute("UPDATE jobs SET stop_requested = 1 WHERE id = $job", null, ("$job", jobId)));

    public bool IsStopRequested(long jobId) => Locked(() => Scalar<long?>("SELECT stop_requested FROM jobs WHERE id = $job", null, ("$job", jobId)) == 1);

    public JobSummary Summarize(JobRecord job, Func<WorkerRecord, bool> isAlive) => Locked(() =>
    {
        var counts = new long[5];
        foreach (var (status, count) in Query($"SELECT {ShownStatus} AS shown, COUNT(*) FROM items i WHERE i.job_id = $job GROUP BY shown", r => (r.GetInt32(0), r.GetInt64(1)), ("$job", job.Id)))
            counts[status] = count;
        long now = Now();
        var (firstStarted, lastFinished, recent, stretch, bytesLeft, withWarnings) = Query("""
            WITH last AS (SELECT MAX(finished_ms) - $window AS since FROM items WHERE job_id = $job AND status IN (2, 3))
            SELECT MIN(started_ms), MAX(CASE WHEN status IN (2, 3) THEN finished_ms END),
                   SUM(CASE WHEN status IN (2, 3) AND finished_ms >= $since THEN 1 ELSE 0 END),
                   SUM(CASE WHEN status IN (2, 3) AND finished_ms >= $since THEN input_length ELSE 0 END),
                   MIN(CASE WHEN status IN (2, 3) AND finished_ms >= $since THEN started_ms END),
                   SUM(CASE WHEN status IN (2, 3) AND finished_ms >= (SELECT since FROM last) THEN 1 ELSE 0 END),
                   SUM(CASE WHEN status IN (2, 3) AND finished_ms >= (SELECT since FROM last) THEN input_length ELSE 0 END),
                   MIN(CASE WHEN status IN (2, 3) AND finished_ms >= (SELECT since FROM last) THEN started_ms END),
                   SUM(CASE WHEN status IN (0, 1) THEN input_length ELSE 0 END),
                   SUM(CASE WHEN status = 2 AND warnings IS NOT NULL THEN 1 ELSE 0 END)
            FROM items WHERE job_id = $job
            """,
            r => (r.NullableInt64(0), r.NullableInt64(1), new Stretch(r.NullableInt64(2) ?? 0, r.NullableInt64(3) ?? 0, r.NullableInt64(4)),
                new Stretch(r.NullableInt64(5) ?? 0, r.NullableInt64(6) ?? 0, r.NullableInt64(7)), r.NullableInt64(8) ?? 0, r.NullableInt64(9) ?? 0),
            ("$job", job.Id), ("$since", now - RateWindowMs), ("$window", RateWindowMs)).Single();
        var workers = WorkersUnlocked(job.Id).Where(isAlive).ToList();
        return JobSummaries.Build(job, counts, firstStarted, lastFinished, recent, stretch, bytesLeft, RateWindowMs, now, workers) with { WithWarnings = withWarnings };
    });

    private const long RateWindowMs = 60_000;

    /// <summary>An item a worker has queued but not begun is still waiting, as far as a user is concerned.</summary>
    private const string ShownStatus = "CASE WHEN i.status = 1 AND i.work_begun = 0 THEN 0 ELSE i.status END";

    public IReadOnlyList<ItemRecord> Items(long jobId, IReadOnlyCollection<ItemStatus>? statuses, ItemPage page = default) => Locked(() => Query(
        ItemsQuery(statuses),
        r => new ItemRecord(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), (ItemStatus)r.GetInt32(4), r.GetInt32(5),
            r.NullableString(6), r.NullableString(7), r.NullableTime(8), r.NullableTime(9), r.NullableInt64(10),
            r.NullableInt(11), r.NullableInt(12), r.NullableInt(13), r.NullableInt(14), r.NullableString(15), r.NullableString(16),
            ItemWarnings.FromStored(r.NullableString(17))),
        // A negative LIMIT is none in SQLite.
        ("$job", jobId), ("$take", page.Take ?? -1), ("$skip", page.Skip)));

    /// <summary>
    /// The listing of <see cref="Items"/>, $skip and $take its page. Every item: items_by_job, in id order, so a page
    /// reads its own rows. Items of some statuses: the status index, whose range for one status is in id order too, so
    /// a page of one status reads about its own rows; of several (Pending is two as stored), SQLite reads their ranges
    /// whole and sorts them. Either way a job's few failures are found without passing the rest; left to itself,
    /// SQLite would walk items_by_job past every item of the job.
    /// </summary>
    internal static string ItemsQuery(IReadOnlyCollection<ItemStatus>? statuses) => $"""
        SELECT i.id, j.name, i.input_path, i.output_path, {ShownStatus}, i.attempts, i.error_id, i.error_message, i.started_ms, i.finished_ms,
               i.duration_ms, i.input_width, i.input_height, i.output_width, i.output_height, i.lease_owner, i.metrics, i.warnings
        FROM items i{(statuses is { Count: > 0 } ? " INDEXED BY items_by_status" : "")} JOIN jobs j ON j.id = i.job_id
        WHERE i.job_id = $job{StatusFilter(statuses)} ORDER BY i.id LIMIT $take OFFSET $skip
        """;

    public long CountItems(long jobId, IReadOnlyCollection<ItemStatus>? statuses) => Locked(() =>
        Scalar<long>($"SELECT COUNT(*) FROM items i WHERE i.job_id = $job{StatusFilter(statuses)}", null, ("$job", jobId)));

    /// <summary>The condition on items shown with these statuses, for a query on items as i; empty for every item.</summary>
    private static string StatusFilter(IReadOnlyCollection<ItemStatus>? statuses) => statuses is { Count: > 0 }
        ? $" AND i.status IN ({string.Join(',', JobStatuses.StoredAs(statuses).Select(s => (int)s))}) AND {ShownStatus} IN ({string.Join(',', statuses.Select(s => (int)s))})"
        : "";

    public void RemoveJob(long jobId) => Locked(() => Execute("DELETE FROM jobs WHERE id = $job", null, ("$job", jobId)));

    public void Dispose()
    {
        lock (_gate)
            _connection.Dispose();
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>Runs one store operation under the lock, turning SQLite failures into clear store errors.</summary>
    private T Locked<T>(Func<T> operation)
    {
        lock (_gate)
        {
            try
            {
                return operation();
            }
            catch (SqliteException e)
            {
                throw Describe(e);
            }
        }
    }

    private SqliteCommand Command(string sql, SqliteTransaction? tx)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        return command;
    }

    private int Execute(string sql, SqliteTransaction? tx = null, params (string Name, object Value)[] parameters)
    {
        using var command = Command(sql, tx);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return command.ExecuteNonQuery();
    }

    private T? Scalar<T>(string sql, SqliteTransaction? tx, params (string Name, object Value)[] parameters)
    {
        using var command = Command(sql, tx);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        var result = command.ExecuteScalar();
        return result is null or DBNull ? default : (T)Convert.ChangeType(result, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T));
    }

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, params (string Name, object Value)[] parameters) =>
        Query(sql, read, null, parameters);

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, SqliteTransaction? tx, params (string Name, object Value)[] parameters)
    {
        using var command = Command(sql, tx);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        using var reader = command.ExecuteReader();
        var list = new List<T>();
        while (reader.Read())
            list.Add(read(reader));
        return list;
    }
}
