using Npgsql;

namespace Swin2SR.Core.Jobs.Postgres;

/// <summary>
/// The PostgreSQL schema, versioned, in its own schema <c>swin2sr</c> so the store can share a database with other
/// tables. Times are the server's clock in Unix milliseconds (<c>swin2sr.now_ms()</c>): hosts whose clocks disagree
/// still agree on when a lease expires.
/// </summary>
internal static class PostgresSchema
{
    // Any constant shared by every Swin2SR module version: the lock that serializes migrations in a database.
    private const long MigrationLockKey = 0x5357_494E_3253_52;

    public static readonly string[] Migrations =
    [
        """
        CREATE FUNCTION swin2sr.now_ms() RETURNS bigint LANGUAGE sql STABLE
            AS 'SELECT (extract(epoch FROM statement_timestamp()) * 1000)::bigint';
        CREATE TABLE swin2sr.jobs (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name text NOT NULL UNIQUE,
            options text NOT NULL,
            created_ms bigint NOT NULL,
            updated_ms bigint NOT NULL,
            stop_requested boolean NOT NULL DEFAULT false
        );
        CREATE TABLE swin2sr.items (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            job_id bigint NOT NULL REFERENCES swin2sr.jobs(id) ON DELETE CASCADE,
            input_path text NOT NULL,
            output_path text NOT NULL,
            output_format text NOT NULL,
            input_length bigint NOT NULL,
            input_mtime_ms bigint NOT NULL,
            options_hash text NOT NULL,
            status smallint NOT NULL,
            attempts integer NOT NULL DEFAULT 0,
            open_claims integer NOT NULL DEFAULT 0,
            ever_written boolean NOT NULL DEFAULT false,
            lease_owner text,
            lease_expires_ms bigint,
            claim_token uuid,
            error_id text,
            error_message text,
            started_ms bigint,
            finished_ms bigint,
            duration_ms bigint,
            input_width integer,
            input_height integer,
            output_width integer,
            output_height integer,
            metrics text,
            UNIQUE (job_id, input_path)
        );
        CREATE INDEX items_pending ON swin2sr.items (job_id, id) WHERE status = 0;
        CREATE INDEX items_leased ON swin2sr.items (job_id, lease_expires_ms) WHERE status = 1;
        CREATE INDEX items_by_owner ON swin2sr.items (lease_owner) WHERE lease_owner IS NOT NULL;
        CREATE TABLE swin2sr.workers (
            id text PRIMARY KEY,
            job_id bigint NOT NULL REFERENCES swin2sr.jobs(id) ON DELETE CASCADE,
            host text NOT NULL,
            pid integer NOT NULL,
            process_start_ms bigint NOT NULL,
            device text NOT NULL,
            started_ms bigint NOT NULL,
            heartbeat_ms bigint NOT NULL,
            processed bigint NOT NULL DEFAULT 0
        );
        """,
        // How often an item's worker ended without an outcome (a crash, a kill) while it held the item.
        """
        ALTER TABLE swin2sr.items ADD COLUMN lost_leases integer NOT NULL DEFAULT 0;
        CREATE INDEX items_suspect ON swin2sr.items (job_id, id) WHERE lost_leases > 0 AND status = 0;
        """,
        // Whether the worker leasing an item has begun it or only queued it. A queued item may go to an idle worker,
        // and a worker lost before beginning it loses nothing. Items of older versions count as begun.
        """
        ALTER TABLE swin2sr.items ADD COLUMN work_begun boolean NOT NULL DEFAULT true;
        """,
        // Where a worker's pid can be looked up (WorkerIdentity.ProcessScope): two containers sharing a host name each
        // have their own pids. Workers of older versions have none, and are judged by their heartbeat.
        """
        ALTER TABLE swin2sr.workers ADD COLUMN process_scope text;
        """,
        // A job's items in the order they were added: a page of its listing reads that page's rows, not all the job's.
        """
        CREATE INDEX items_by_job ON swin2sr.items (job_id, id);
        """,
        // What new items a worker still claims (JobHandOff.Signature): a run on its host with the same options hands it
        // its inputs instead of loading a model of its own. Workers of older versions take none.
        """
        ALTER TABLE swin2sr.workers ADD COLUMN accepts text;
        """,
        // Which written item of a job owns an output file, asked as an item is claimed (ClaimedItem.OutputOwner).
        """
        CREATE INDEX items_written_by_output ON swin2sr.items (job_id, output_path) WHERE ever_written;
        """,
        // Which written item of any job owns an output file: another job's run into the same folder (ClaimedItem.OutputOwnerJob).
        """
        CREATE INDEX items_written_output ON swin2sr.items (output_path) WHERE ever_written;
        """,
        // What a user should know about an item's last outcome (ItemWarnings): pages of a TIFF left out, a GIF cut to its
        // first frame. Items of older versions have none.
        """
        ALTER TABLE swin2sr.items ADD COLUMN warnings text;
        """,
    ];

    /// <summary>
    /// Brings the database to the latest version. Up to date (the usual case) costs one read; otherwise the
    /// migrations run in one transaction under an advisory lock, so hosts starting at once take turns and the
    /// later ones find the work done.
    /// </summary>
    public static void Migrate(NpgsqlConnection connection, string location)
    {
        if (CheckVersion(connection, null, location) == Migrations.Length)
            return;
        using var tx = connection.BeginTransaction();
        Execute(connection, tx, $"SELECT pg_advisory_xact_lock({MigrationLockKey})");
        Execute(connection, tx, "CREATE SCHEMA IF NOT EXISTS swin2sr");
        Execute(connection, tx, "CREATE TABLE IF NOT EXISTS swin2sr.schema_version (version integer NOT NULL)");
        for (int v = CheckVersion(connection, tx, location); v < Migrations.Length; v++)
        {
            Execute(connection, tx, Migrations[v]);
            Execute(connection, tx, $"INSERT INTO swin2sr.schema_version (version) VALUES ({v + 1})");
        }
        tx.Commit();
    }

    private static int CheckVersion(NpgsqlConnection connection, NpgsqlTransaction? tx, string location)
    {
        // Two statements: a query naming a table that does not exist yet fails to parse.
        if (Scalar(connection, tx, "SELECT to_regclass('swin2sr.schema_version') IS NOT NULL") is not true)
            return 0;
        int version = Convert.ToInt32(Scalar(connection, tx, "SELECT coalesce(max(version), 0) FROM swin2sr.schema_version"));
        if (version > Migrations.Length)
            throw new JobStoreException($"The job store '{location}' has schema version {version}, newer than this module knows ({Migrations.Length}): update the module.", errorId: "JobStoreTooNew");
        return version;
    }

    private static object? Scalar(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, tx);
        return command.ExecuteScalar();
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction tx, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, tx);
        command.ExecuteNonQuery();
    }
}
