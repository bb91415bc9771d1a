using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Npgsql;
using Swin2SR.Core.Jobs;
using Swin2SR.Core.Jobs.Postgres;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Jobs;

/// <summary>
/// The job-store contract on PostgreSQL, a real server started for the tests, plus what only a shared server
/// brings: logins and passwords that never show, several hosts creating the schema at once, a server that is down,
/// and a server restarted while workers claim and complete.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresJobStoreTests : JobStoreContractTests, IDisposable
{
    private readonly PostgresServer _server;
    private readonly string _connectionString;
    private readonly TempFolder _folder = new();

    public PostgresJobStoreTests(PostgresServer server)
    {
        _server = server;
        _connectionString = server.CreateDatabase();
    }

    public void Dispose() => _folder.Dispose();

    protected override IJobStore OpenStore() => new PostgresJobStore(_connectionString);

    protected override void SetSchemaVersion(int version) => Execute($"INSERT INTO swin2sr.schema_version (version) VALUES ({version})");

    protected override void CreateVersionOneStore() => CreateStore(1, """
        INSERT INTO swin2sr.items (job_id, input_path, output_path, output_format, input_length, input_mtime_ms, options_hash, status)
            SELECT id, '/in/a.png', '/out/a.png', 'PNG', 1, 1, 'h', 0 FROM swin2sr.jobs;
        INSERT INTO swin2sr.items (job_id, input_path, output_path, output_format, input_length, input_mtime_ms, options_hash, status, attempts, open_claims, lease_owner, lease_expires_ms)
            SELECT id, '/in/b.png', '/out/b.png', 'PNG', 1, 1, 'h', 1, 1, 1, 'gone:1:0', 0 FROM swin2sr.jobs;
        """);

    protected override void CreateStoreOfVersion(int version) => CreateStore(version, $"""
        INSERT INTO swin2sr.workers (id, job_id, host, pid, process_start_ms, device, started_ms, heartbeat_ms)
            SELECT '{OldWorker}', id, 'h', 1, 0, 'cpu', 0, 0 FROM swin2sr.jobs;
        """);

    /// <summary>The store as the first <paramref name="version"/> migrations left it, with job "old", then <paramref name="rows"/>.</summary>
    private void CreateStore(int version, string rows) => Execute($"""
        CREATE SCHEMA swin2sr;
        CREATE TABLE swin2sr.schema_version (version integer NOT NULL);
        {string.Join('\n', PostgresSchema.Migrations.Take(version))}
        INSERT INTO swin2sr.schema_version (version) VALUES ({version});
        INSERT INTO swin2sr.jobs (name, options, created_ms, updated_ms) VALUES ('old', '{Options.ToJson()}', 0, 0);
        {rows}
        """);

    private string Database => new NpgsqlConnectionStringBuilder(_connectionString).Database!;

    /// <summary>The test database, reached as the password role with no password of its own yet.</summary>
    private string PasswordRoleConnectionString => $"Host=127.0.0.1;Port={_server.Port};Database={Database};Username={_server.PasswordRole}";

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(_connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    [Fact]
    public void Giving_a_job_its_inputs_again_writes_only_the_rows_it_queues_again()
    {
        using var store = OpenStore();
        long job = store.CreateOrUpdateJob("j", Options).Id;
        var items = Items(50);
        store.AddItems(job, items, redoDone: false);
        var claimed = ClaimedByW(store, job, 40);
        store.Complete("w", claimed.Select(c => Succeeded(c.Id)).ToList());

        // 40 done, 10 pending; one done input changed since. A rerun that locked the rows it reads would write each
        // (PostgreSQL records a row lock in the row, xmax) and make workers' claims skip the Pending ones meanwhile.
        var again = store.AddItems(job, [.. items.Skip(1), items[0] with { InputLength = 1 }], redoDone: false);
        Assert.Equal((39, 1), (again.AlreadyDone.Count, again.Requeued));
        using var connection = new NpgsqlConnection(_connectionString);
        connection.Open();
        using var touched = new NpgsqlCommand($"SELECT array_agg(input_path) FROM swin2sr.items WHERE job_id = {job} AND xmax <> '0'::xid", connection);
        Assert.Equal(DBNull.Value, touched.ExecuteScalar());
    }

    [Fact]
    public void A_claim_reads_the_items_it_may_take_not_every_item_done_before_them()
    {
        using var store = OpenStore();
        long job = store.CreateOrUpdateJob("j", Options).Id;
        // A job half done: its first 5,000 items finished, 5,000 left, as a real server's statistics would say.
        Execute($"""
            INSERT INTO swin2sr.items (job_id, input_path, output_path, output_format, input_length, input_mtime_ms, options_hash, status)
            SELECT {job}, '/in/' || g, '/out/' || g, 'PNG', 1, 1, 'h', CASE WHEN g <= 5000 THEN 2 ELSE 0 END FROM generate_series(1, 10000) g;
            ANALYZE swin2sr.items;
            """);
        using var connection = new NpgsqlConnection(_connectionString);
        connection.Open();
        using var explain = new NpgsqlCommand($"EXPLAIN (ANALYZE, FORMAT JSON) {PostgresJobStore.FreshItems.Replace("$1", job.ToString()).Replace("$5", "8")}", connection);
        using var plan = System.Text.Json.JsonDocument.Parse((string)explain.ExecuteScalar()!);
        Assert.InRange(RowsRemovedByFilter(plan.RootElement), 0, 100);
    }

    private static long RowsRemovedByFilter(System.Text.Json.JsonElement node) => node.ValueKind switch
    {
        System.Text.Json.JsonValueKind.Object => node.EnumerateObject().Sum(p => p.Name == "Rows Removed by Filter" ? p.Value.GetInt64() : RowsRemovedByFilter(p.Value)),
        System.Text.Json.JsonValueKind.Array => node.EnumerateArray().Sum(RowsRemovedByFilter),
        _ => 0,
    };

    [Fact]
    public void A_page_of_items_reads_its_own_rows_not_the_job_s_or_another_job_s_before_them()
    {
        using var store = OpenStore();
        long other = store.CreateOrUpdateJob("other", Options).Id;
        long job = store.CreateOrUpdateJob("j", Options).Id;
        Execute($"""
            INSERT INTO swin2sr.items (job_id, input_path, output_path, output_format, input_length, input_mtime_ms, options_hash, status)
            SELECT CASE WHEN g <= 10000 THEN {other} ELSE {job} END, '/in/' || g, '/out/' || g, 'PNG', 1, 1, 'h', 0 FROM generate_series(1, 20000) g;
            ANALYZE swin2sr.items;
            """);
        using var connection = new NpgsqlConnection(_connectionString);
        connection.Open();
        using var explain = new NpgsqlCommand($"EXPLAIN (ANALYZE, FORMAT JSON) {PostgresJobStore.ItemsListing}", connection);
        const long take = 20, skip = 20;
        foreach (object? value in new object?[] { job, DBNull.Value, Array.Empty<short>(), take, skip })
            explain.Parameters.Add(new NpgsqlParameter { Value = value });
        using var plan = System.Text.Json.JsonDocument.Parse((string)explain.ExecuteScalar()!);
        // The page and the rows it skips, and at most one row more (where the scan stops): not the other job's 10,000.
        Assert.InRange(RowsReadFrom("items", plan.RootElement), skip + take, skip + take + 1);
    }

    /// <summary>The rows the plan's scans of a table returned or filtered out.</summary>
    private static long RowsReadFrom(string table, System.Text.Json.JsonElement node) => node.ValueKind switch
    {
        System.Text.Json.JsonValueKind.Object => (node.TryGetProperty("Relation Name", out var name) && name.GetString() == table
                ? node.GetProperty("Actual Rows").GetInt64() * node.GetProperty("Actual Loops").GetInt64()
                  + (node.TryGetProperty("Rows Removed by Filter", out var removed) ? removed.GetInt64() : 0)
                : 0)
            + node.EnumerateObject().Sum(p => RowsReadFrom(table, p.Value)),
        System.Text.Json.JsonValueKind.Array => node.EnumerateArray().Sum(e => RowsReadFrom(table, e)),
        _ => 0,
    };

    [Fact]
    public void A_credential_logs_in_a_role_that_may_only_create_in_the_database_and_its_password_never_shows()
    {
        using (var store = new PostgresJobStore(PasswordRoleConnectionString, new NetworkCredential(_server.PasswordRole, _server.Password)))
        {
            store.CreateOrUpdateJob("j", Options);
            Assert.DoesNotContain(_server.Password, store.Location);
            Assert.Contains($"Username={_server.PasswordRole}", store.Location);
        }
        // The schema is made: a store opened by another role later finds the same job.
        using var admin = OpenStore();
        Assert.NotNull(admin.FindJob("j"));
    }

    [Fact]
    public void A_wrong_or_missing_password_is_refused_clearly_without_repeating_it()
    {
        string wrong = "not-" + _server.Password;
        var refused = Assert.Throws<JobStoreException>(() => new PostgresJobStore(PasswordRoleConnectionString, new NetworkCredential(_server.PasswordRole, wrong)));
        Assert.Equal("JobStoreAccessDenied", refused.ErrorId);
        Assert.Contains("password authentication failed", refused.Message);
        Assert.Contains($"Port={_server.Port}", refused.Message);
        Assert.DoesNotContain(wrong, refused.ToString());

        // An empty pgpass file: no password from anywhere.
        string passfile = _folder.File("pgpass");
        File.WriteAllText(passfile, "");
        var missing = Assert.Throws<JobStoreException>(() => new PostgresJobStore($"{PasswordRoleConnectionString};Passfile={passfile}"));
        Assert.Equal("JobStoreAccessDenied", missing.ErrorId);
        Assert.Contains("none was given", missing.Message);
        Assert.Contains(passfile, missing.Message);
        var unreadable = Assert.Throws<JobStoreException>(() => new PostgresJobStore($"{PasswordRoleConnectionString};Passfile={_folder.File("none")}"));
        Assert.Contains(_folder.File("none"), unreadable.Message);
    }

    [Fact]
    public void A_refused_login_says_where_its_password_came_from()
    {
        // A stale PGPASSWORD in a service's environment is tried before a right pgpass file; the error must say so.
        string wrong = "not-" + _server.Password;
        Environment.SetEnvironmentVariable("PGPASSWORD", wrong);
        try
        {
            var refused = Assert.Throws<JobStoreException>(() => new PostgresJobStore(PasswordRoleConnectionString));
            Assert.Equal("JobStoreAccessDenied", refused.ErrorId);
            Assert.Contains("came from $env:PGPASSWORD", refused.Message);
            Assert.DoesNotContain(wrong, refused.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable("PGPASSWORD", null);
        }
        var fromString = Assert.Throws<JobStoreException>(() => new PostgresJobStore($"{PasswordRoleConnectionString};Password={wrong}"));
        Assert.Contains("came from the connection string", fromString.Message);
        var fromCredential = Assert.Throws<JobStoreException>(() => new PostgresJobStore(PasswordRoleConnectionString, new NetworkCredential(_server.PasswordRole, wrong)));
        Assert.Contains("came from -Credential", fromCredential.Message);
    }

    [Fact]
    public void A_pgpass_file_gives_the_password()
    {
        string passfile = _folder.File("pgpass");
        File.WriteAllText(passfile, $"127.0.0.1:{_server.Port}:{Database}:{_server.PasswordRole}:{_server.Password}\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(passfile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var store = new PostgresJobStore($"{PasswordRoleConnectionString};Passfile={passfile}");
        Assert.Equal("j", store.CreateOrUpdateJob("j", Options).Name);
    }

    [Fact]
    public void A_postgres_uri_is_read_like_a_connection_string_and_shown_without_its_password()
    {
        string uri = $"postgresql://{_server.PasswordRole}:{Uri.EscapeDataString(_server.Password)}@127.0.0.1:{_server.Port}/{Database}?sslmode=disable&application_name=uri-test";
        Assert.True(JobStores.IsPostgres(uri));
        using var store = JobStores.Open(uri);
        store.CreateOrUpdateJob("j", Options);
        Assert.IsType<PostgresJobStore>(store);
        Assert.DoesNotContain(_server.Password, store.Location);
        Assert.Contains($"Database={Database}", store.Location);
        Assert.Contains("Application Name=uri-test", store.Location);
        Assert.DoesNotContain(_server.Password, JobStores.Display(uri));
    }

    [Fact]
    public void A_uri_whose_host_is_a_unix_socket_folder_reaches_the_server_through_it()
    {
        // As libpq writes it; System.Uri refused the host ("Invalid URI: The hostname could not be parsed").
        string uri = $"postgresql://postgres@{Uri.EscapeDataString(_server.SocketDirectory)}:{_server.Port}/{Database}";
        using var store = JobStores.Open(uri);
        store.CreateOrUpdateJob("j", Options);
        Assert.Contains($"Host={_server.SocketDirectory};", store.Location);
    }

    [Fact]
    public void Libpqs_space_separated_form_is_read_and_shown_without_its_password()
    {
        string libpq = $"host=127.0.0.1 port={_server.Port} dbname={Database} user={_server.PasswordRole} password='{_server.Password}' sslmode=disable";
        using var store = JobStores.Open(libpq);
        store.CreateOrUpdateJob("j", Options);
        Assert.DoesNotContain(_server.Password, store.Location);
        Assert.Contains($"Database={Database}", store.Location);
        Assert.DoesNotContain(_server.Password, JobStores.Display(libpq));
    }

    [Theory]
    [InlineData("Database=swin2sr;Username=swin2sr;Password=hunter2-secret")]
    [InlineData("dbname=swin2sr user=swin2sr password=hunter2-secret")]
    [InlineData("postgresql:///swin2sr?user=swin2sr&password=hunter2-secret")]
    public void A_connection_string_without_its_server_is_refused_not_taken_for_a_sqlite_file(string noHost)
    {
        // $env:PGHOST set for psql does not reach Npgsql: taken for a file name, each computer had a job of its own.
        Assert.True(JobStores.IsPostgres(noHost));
        var error = Assert.Throws<JobStoreException>(() => JobStores.Open(noHost));
        Assert.Equal("JobStoreInvalid", error.ErrorId);
        Assert.Contains("Host=", error.Message);
        Assert.DoesNotContain("hunter2-secret", error.Message);
        Assert.DoesNotContain("hunter2-secret", JobStores.Display(noHost));
    }

    [Fact]
    public void Pairs_that_npgsql_would_read_as_the_host_name_are_refused_without_repeating_them()
    {
        // Not libpq's form either (a word without '='): Npgsql took the rest for the host, and its DNS error showed it.
        string swallowed = $"host=127.0.0.1 port={_server.Port} password=hunter2-secret requiressl";
        var error = Assert.Throws<JobStoreException>(() => JobStores.Open(swallowed));
        Assert.Equal("JobStoreInvalid", error.ErrorId);
        Assert.DoesNotContain("hunter2-secret", error.Message);
        Assert.DoesNotContain("hunter2-secret", JobStores.Display(swallowed));
    }

    [Fact]
    public void The_store_location_decides_the_engine_and_a_credential_is_refused_for_a_file()
    {
        using (var postgres = JobStores.Open(_connectionString))
            Assert.IsType<PostgresJobStore>(postgres);
        string file = _folder.File("jobs.db");
        using (var sqlite = JobStores.Open(file))
            Assert.IsType<Swin2SR.Core.Jobs.Sqlite.SqliteJobStore>(sqlite);
        var error = Assert.Throws<JobStoreException>(() => JobStores.Open(file, new NetworkCredential("u", "secret-p")));
        Assert.Equal("CredentialNotApplicable", error.ErrorId);
        Assert.DoesNotContain("secret-p", error.Message);
        Assert.False(JobStores.IsPostgres(_folder.File("Host=odd folder", "jobs.db")), "a path is a path even with '=' in it");
    }

    [Fact]
    public void A_malformed_connection_string_is_refused_without_repeating_its_values()
    {
        var error = Assert.Throws<JobStoreException>(() => JobStores.Open("Host=127.0.0.1;Password=hunter2-secret;Flavour=strawberry"));
        Assert.Equal("JobStoreInvalid", error.ErrorId);
        Assert.DoesNotContain("hunter2-secret", error.Message);
        Assert.DoesNotContain("hunter2-secret", JobStores.Display("Host=127.0.0.1;Password=hunter2-secret;Flavour=strawberry"));
    }

    [Fact]
    public void Hosts_opening_a_new_database_at_once_create_its_schema_once()
    {
        using var start = new Barrier(6);
        var failures = new ConcurrentBag<Exception>();
        var threads = Enumerable.Range(0, 6).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            try
            {
                OpenStore().Dispose();
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Empty(failures);
        using var connection = new NpgsqlConnection(_connectionString);
        connection.Open();
        using var versions = new NpgsqlCommand("SELECT array_agg(version ORDER BY version) FROM swin2sr.schema_version", connection);
        Assert.Equal(Enumerable.Range(1, PostgresSchema.Migrations.Length), (int[])versions.ExecuteScalar()!);
    }

    [Fact]
    public void Computers_whose_clock_disagrees_with_the_servers_still_agree_on_leases_and_liveness()
    {
        using var store = OpenStore();
        // From here on the server's clock, as the store reads it, runs an hour ahead of this computer's.
        Execute("CREATE OR REPLACE FUNCTION swin2sr.now_ms() RETURNS bigint LANGUAGE sql STABLE AS 'SELECT (extract(epoch FROM statement_timestamp()) * 1000)::bigint + 3600000'");
        long job = store.CreateOrUpdateJob("j", Options).Id;
        store.AddItems(job, Items(2), redoDone: false);
        store.RegisterWorker(job, Worker("remote", host: "another-computer"));
        var held = Assert.Single(store.Claim(job, "remote", 1, Soon));

        var rest = Assert.Single(store.Claim(job, "rescuer", 8, Soon));
        Assert.NotEqual(held.Id, rest.Id);
        Assert.Null(store.ClaimSuspect(job, "rescuer", Soon));
        var remote = Assert.Single(store.Workers(job));
        Assert.InRange((DateTimeOffset.UtcNow - remote.Heartbeat).TotalSeconds, -5, 5);
        Assert.True(WorkerIdentity.IsAlive(remote, JobRunner.DefaultLeaseDuration), "a worker that just sent a heartbeat is alive");
    }

    /// <summary>A port on 127.0.0.1 that nothing listens on: the system hands out a free one, closed again at once.</summary>
    private static int ClosedPort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [Fact]
    public void A_server_that_is_down_fails_clearly_after_retrying_for_the_retry_budget()
    {
        int closedPort = ClosedPort();
        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<JobStoreException>(() => new PostgresJobStore($"Host=127.0.0.1;Port={closedPort};Username=postgres;Password=pw-secret", access: JobStoreAccess.Run() with { RetryBudget = TimeSpan.FromSeconds(2) }));
        Assert.Equal("JobStoreUnavailable", error.ErrorId);
        Assert.Contains($"Port={closedPort}", error.Message);
        Assert.Contains("could not be reached", error.Message);
        Assert.DoesNotContain("pw-secret", error.Message);
        Assert.InRange(clock.Elapsed.TotalSeconds, 1, 30);
    }

    [Fact]
    public void A_run_is_told_once_that_it_waits_for_a_server_that_cannot_be_reached()
    {
        var notices = new List<string>();
        var access = JobStoreAccess.Run(notices.Add) with { RetryBudget = TimeSpan.FromSeconds(2) };
        Assert.Throws<JobStoreException>(() => new PostgresJobStore($"Host=127.0.0.1;Port={ClosedPort()};Username=postgres;Password=pw-secret", access: access));
        string notice = Assert.Single(notices);
        Assert.Contains("waiting up to 2 s", notice);
        Assert.DoesNotContain("pw-secret", notice);
    }

    [Fact]
    public void A_server_with_no_connection_to_spare_is_told_apart_from_one_that_is_down()
    {
        // A role's connection limit is refused with the same error (53300) as a server at max_connections.
        string role = "full" + Guid.NewGuid().ToString("N")[..8];
        Execute($"CREATE ROLE {role} LOGIN CONNECTION LIMIT 0");
        var error = Assert.Throws<JobStoreException>(() => new PostgresJobStore($"Host=127.0.0.1;Port={_server.Port};Database={Database};Username={role}",
            access: JobStoreAccess.Run() with { RetryBudget = TimeSpan.FromSeconds(2) }));
        Assert.Equal(PostgresJobStore.TooManyConnectionsErrorId, error.ErrorId);
        Assert.Contains("no connection to spare", error.Message);
        Assert.Contains("max_connections", error.Message);
    }

    [Fact]
    public void A_status_query_gives_up_on_a_server_that_is_down_within_seconds_not_a_minute()
    {
        var error = Assert.Throws<JobStoreException>(() => new PostgresJobStore($"Host=127.0.0.1;Port={ClosedPort()};Username=postgres", access: JobStoreAccess.Query));
        Assert.Matches(@"could not be reached: tried for [0-5]\.\d s, of up to 5 s", error.Message);
    }

    [Fact]
    public void A_status_query_gives_up_within_seconds_on_a_server_that_never_answers()
    {
        // A listener that takes connections and says nothing, as a computer that is off behind a router (or a
        // firewall dropping packets) leaves a connection unanswered.
        using var silent = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var error = Assert.Throws<JobStoreException>(() => new PostgresJobStore($"Host=127.0.0.1;Port={port};Username=postgres", access: JobStoreAccess.Query));
        Assert.Matches(@"could not be reached: tried for [0-5]\.\d s, of up to 5 s", error.Message);

        var patient = new NpgsqlConnectionStringBuilder($"Host=127.0.0.1;Port={port};Timeout=20");
        PostgresConnectionString.FitTimeout(patient, JobStoreAccess.Query.RetryBudget);
        Assert.Equal(20, patient.Timeout);
    }

    [Fact]
    public void Opened_for_completion_a_database_without_the_schema_gets_none()
    {
        using (var store = new PostgresJobStore(_connectionString, access: JobStoreAccess.Completion))
            Assert.Throws<JobStoreException>(() => store.ListJobs());
        using var connection = new NpgsqlConnection(_connectionString);
        connection.Open();
        using var schemas = new NpgsqlCommand("SELECT count(*) FROM pg_namespace WHERE nspname = 'swin2sr'", connection);
        Assert.Equal(0L, (long)schemas.ExecuteScalar()!);
    }

    [Fact]
    public void A_host_name_that_does_not_resolve_fails_at_once_even_for_a_run()
    {
        var notices = new List<string>();
        var error = Assert.Throws<JobStoreException>(() => new PostgresJobStore("Host=db01.invalid;Username=postgres;Password=pw-secret", access: JobStoreAccess.Run(notices.Add)));
        Assert.Empty(notices);
        Assert.Equal("JobStoreUnavailable", error.ErrorId);
        Assert.Contains("host name does not resolve", error.Message);
        Assert.DoesNotContain("pw-secret", error.Message);
    }

    [Fact]
    public void A_database_restart_while_workers_claim_and_complete_loses_nothing_and_does_nothing_twice()
    {
        const int count = 3000;
        long jobId;
        using (var setup = OpenStore())
        {
            jobId = setup.CreateOrUpdateJob("j", Options).Id;
            setup.AddItems(jobId, Items(count), redoDone: false);
        }
        var claims = new ConcurrentBag<long>();
        int completed = 0;
        int retries = 0;
        var failures = new ConcurrentBag<Exception>();
        var workers = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            try
            {
                using var store = new PostgresJobStore(_connectionString);
                string worker = $"w{t}";
                store.RegisterWorker(jobId, Worker(worker));
                while (store.Claim(jobId, worker, 8, Soon) is { Count: > 0 } claimed)
                {
                    foreach (var c in Begin(store, worker, claimed))
                        claims.Add(c.Id);
                    Thread.Sleep(10); // the images' work: the run lasts long enough for a restart in the middle
                    Interlocked.Add(ref completed, store.Complete(worker, claimed.Select(c => Succeeded(c.Id)).ToList()).Count);
                }
                Interlocked.Add(ref retries, store.Retries);
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        })).ToList();
        workers.ForEach(t => t.Start());
        SpinWait.SpinUntil(() => Volatile.Read(ref completed) >= count / 10 || !workers.Any(w => w.IsAlive), TimeSpan.FromMinutes(2));
        _server.Restart();
        int doneAtRestart = Volatile.Read(ref completed);
        workers.ForEach(t => t.Join());

        Assert.Empty(failures);
        Assert.InRange(doneAtRestart, count / 10, count - 1);
        Assert.True(retries > 0, "the restart cut the workers' connections and they carried on after it");
        Assert.Equal(count, completed);
        Assert.Equal(count, claims.Count);
        Assert.Equal(count, claims.Distinct().Count());
        using var check = OpenStore();
        Assert.All(check.Items(jobId, null), i => Assert.Equal((ItemStatus.Succeeded, 1), (i.Status, i.Attempts)));
        Assert.Equal(count, check.Workers(jobId).Sum(w => w.Processed));
    }
}
