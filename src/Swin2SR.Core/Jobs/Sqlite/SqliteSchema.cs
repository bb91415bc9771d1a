namespace Swin2SR.Core.Jobs.Sqlite;

/// <summary>The SQLite schema, versioned: each migration moves the store one version up, in a transaction.</summary>
internal static class SqliteSchema
{
    public static readonly string[] Migrations =
    [
        """
        CREATE TABLE jobs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL UNIQUE,
            options TEXT NOT NULL,
            created_ms INTEGER NOT NULL,
            updated_ms INTEGER NOT NULL,
            stop_requested INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE items (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            input_path TEXT NOT NULL,
            output_path TEXT NOT NULL,
            output_format TEXT NOT NULL,
            input_length INTEGER NOT NULL,
            input_mtime_ms INTEGER NOT NULL,
            options_hash TEXT NOT NULL,
            status INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            open_claims INTEGER NOT NULL DEFAULT 0,
            ever_written INTEGER NOT NULL DEFAULT 0,
            lease_owner TEXT,
            lease_expires_ms INTEGER,
            error_id TEXT,
            error_message TEXT,
            started_ms INTEGER,
            finished_ms INTEGER,
            duration_ms INTEGER,
            input_width INTEGER,
            input_height INTEGER,
            output_width INTEGER,
            output_height INTEGER,
            metrics TEXT,
            UNIQUE (job_id, input_path)
        );
        CREATE INDEX items_by_status ON items (job_id, status, id);
        CREATE INDEX items_by_owner ON items (lease_owner) WHERE lease_owner IS NOT NULL;
        CREATE TABLE workers (
            id TEXT PRIMARY KEY,
            job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            process_start_ms INTEGER NOT NULL,
            device TEXT NOT NULL,
            started_ms INTEGER NOT NULL,
            heartbeat_ms INTEGER NOT NULL,
            processed INTEGER NOT NULL DEFAULT 0
        );
        """,
        // How often an item's worker ended without an outcome (a crash, a kill) while it held the item.
        """
        ALTER TABLE items ADD COLUMN lost_leases INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX items_suspect ON items (job_id, id) WHERE lost_leases > 0 AND status = 0;
        """,
        // Whether the worker leasing an item has begun it (1) or only queued it (0). A queued item may go to an idle
        // worker, and a worker lost before beginning it loses nothing. Items of older versions count as begun.
        """
        ALTER TABLE items ADD COLUMN work_begun INTEGER NOT NULL DEFAULT 1;
        """,
        // Where a worker's pid can be looked up (WorkerIdentity.ProcessScope): two containers sharing a host name each
        // have their own pids. Workers of older versions have none, and are judged by their heartbeat.
        """
        ALTER TABLE workers ADD COLUMN process_scope TEXT;
        """,
        // A job's items in the order they were added: a page of its listing reads that page's rows, not all the job's.
        """
        CREATE INDEX items_by_job ON items (job_id, id);
        """,
        // What new items a worker still claims (JobHandOff.Signature): a run on its host with the same options hands it
        // its inputs instead of loading a model of its own. Workers of older versions take none.
        """
        ALTER TABLE workers ADD COLUMN accepts TEXT;
        """,
        // Which written item of a job owns an output file, asked as an item is claimed (ClaimedItem.OutputOwner).
        """
        CREATE INDEX items_written_by_output ON items (job_id, output_path) WHERE ever_written = 1;
        """,
        // Which written item of any job owns an output file: another job's run into the same folder (ClaimedItem.OutputOwnerJob).
        """
        CREATE INDEX items_written_output ON items (output_path) WHERE ever_written = 1;
        """,
        // What a user should know about an item's last outcome (ItemWarnings): pages of a TIFF left out, a GIF cut to its
        // first frame. Items of older versions have none.
        """
        ALTER TABLE items ADD COLUMN warnings TEXT;
        """,
    ];
}
