using Npgsql;
using Swin2SR.Core.Jobs.Postgres;

namespace Swin2SR.Bench;

/// <summary>
/// The job-store benchmark against a PostgreSQL server, in a database of its own that it creates and drops (the
/// connection string's role needs CREATEDB: the server of `build.ps1 postgres` prints a superuser's). Also
/// measures what an item costs on disk, with its indexes: right after the run (with the dead row versions the
/// updates leave until autovacuum reuses them) and compacted (VACUUM FULL).
/// </summary>
internal static class PostgresStoreBenchmark
{
    /// <summary>Usage: postgres &lt;connection string&gt; [items=20000] [workers=8].</summary>
    public static int Run(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: Swin2SR.Bench postgres <connection string> [items=20000] [workers=8]   (dotnet pwsh ./build.ps1 postgres starts a server)");
            return 2;
        }
        int items = args.Length > 1 ? int.Parse(args[1]) : 20_000;
        int workers = args.Length > 2 ? int.Parse(args[2]) : 8;
        string database = "swin2sr_bench_" + Guid.NewGuid().ToString("N")[..8];
        string server = args[0];
        Execute(server, $"CREATE DATABASE {database}");
        try
        {
            string connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
            long jobId = JobStoreBenchmark.Measure("postgres", () => new PostgresJobStore(connectionString), items, workers);
            // What a rerun writes: right after a checkpoint, as when cron and checkpoint_timeout both tick every 5 minutes.
            Execute(connectionString, "CHECKPOINT");
            long before = WalPosition(connectionString);
            JobStoreBenchmark.Rerun(() => new PostgresJobStore(connectionString), jobId, items);
            Console.WriteLine($"  rerun's WAL:         {(WalPosition(connectionString) - before) / (double)items,10:N0} bytes/item, after a checkpoint");
            Console.WriteLine($"  database size:       {ItemBytes(connectionString) / items,10:N0} bytes/item after the run (items and their indexes)");
            Execute(connectionString, "VACUUM FULL swin2sr.items");
            Console.WriteLine($"                       {ItemBytes(connectionString) / items,10:N0} bytes/item compacted");
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            Execute(server, $"DROP DATABASE {database} WITH (FORCE)");
        }
    }

    private static double ItemBytes(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT pg_total_relation_size('swin2sr.items')", connection);
        return Convert.ToDouble(command.ExecuteScalar());
    }

    private static long WalPosition(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn", connection);
        return Convert.ToInt64(command.ExecuteScalar());
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
