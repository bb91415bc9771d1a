using Microsoft.Data.Sqlite;
using Swin2SR.Core.Jobs;
using Swin2SR.Core.Jobs.Sqlite;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Jobs;

/// <summary>The job-store contract on SQLite, and what only a SQLite file can do wrong (locks, corruption).</summary>
public sealed class SqliteJobStoreTests : JobStoreContractTests, IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _path;

    public SqliteJobStoreTests() => _path = _folder.File("jobs.db");

    public void Dispose() => _folder.Dispose();

    protected override IJobStore OpenStore() => new SqliteJobStore(_path);

    protected override void SetSchemaVersion(int version)
    {
        using var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO schema_info (version) VALUES ({version})";
        command.ExecuteNonQuery();
    }

    protected override void CreateVersionOneStore() => CreateStore(1, """
        INSERT INTO items (job_id, input_path, output_path, output_format, input_length, input_mtime_ms, options_hash, status)
            VALUES (1, '/in/a.png', '/out/a.png', 'PNG', 1, 1, 'h', 0);
        INSERT INTO items (job_id, input_path, output_path, output_format, input_length, input_mtime_ms, options_hash, status, attempts, open_claims, lease_owner, lease_expires_ms)
            VALUES (1, '/in/b.png', '/out/b.png', 'PNG', 1, 1, 'h', 1, 1, 1, 'gone:1:0', 0);
        """);

    protected override void CreateStoreOfVersion(int version) => CreateStore(version, $"""
        INSERT INTO workers (id, job_id, host, pid, process_start_ms, device, started_ms, heartbeat_ms) VALUES ('{OldWorker}', 1, 'h', 1, 0, 'cpu', 0, 0);
        """);

    /// <summary>The store as the first <paramref name="version"/> migrations left it, with job "old" (id 1), then <paramref name="rows"/>.</summary>
    private void CreateStore(int version, string rows)
    {
        using var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            CREATE TABLE schema_info (version INTEGER NOT NULL);
            {string.Join('\n', SqliteSchema.Migrations.Take(version))}
            INSERT INTO schema_info (version) VALUES ({version});
            INSERT INTO jobs (name, options, created_ms, updated_ms) VALUES ('old', '{Options.ToJson()}', 0, 0);
            {rows}
            """;
        command.ExecuteNonQuery();
    }

    // Belongs in JobStoreContractTests once the PostgreSQL store keeps metrics too.
    [Fact]
    public void A_store_locked_by_another_process_fails_clearly_after_the_busy_timeout()
    {
        using (var setup = new SqliteJobStore(_path))
            setup.CreateOrUpdateJob("j", Options);
        using var holder = new SqliteConnection($"Data Source={_path};Pooling=False");
        holder.Open();
        using var exclusive = holder.CreateCommand();
        exclusive.CommandText = "BEGIN EXCLUSIVE";
        exclusive.ExecuteNonQuery();

        var error = Assert.Throws<JobStoreException>(() =>
        {
            using var store = new SqliteJobStore(_path, TimeSpan.FromMilliseconds(300));
            store.CreateOrUpdateJob("k", Options);
        });
        Assert.Equal("JobStoreLocked", error.ErrorId);
        Assert.Contains(_path, error.Message);
        Assert.Contains("busy timeout, 0.3 s", error.Message);
    }

    [Fact]
    public void Opened_only_if_it_exists_a_missing_store_is_an_error_and_nothing_is_created()
    {
        string missing = _folder.File("absent", "jobs.db");
        var error = Assert.Throws<JobStoreException>(() => new SqliteJobStore(missing, createIfMissing: false));
        Assert.Equal("JobStoreNotFound", error.ErrorId);
        Assert.False(Directory.Exists(Path.GetDirectoryName(missing)));
    }

    [Fact]
    public void Opened_only_if_it_exists_an_existing_store_is_read()
    {
        using (var setup = new SqliteJobStore(_path))
            setup.CreateOrUpdateJob("j", Options);
        using var store = new SqliteJobStore(_path, createIfMissing: false);
        Assert.Equal("j", Assert.Single(store.ListJobs()).Name);
    }

    [Fact]
    public void An_older_store_is_upgraded_when_opened_to_query_but_read_as_it_is_for_completion()
    {
        CreateVersionOneStore();
        using (var completion = JobStores.OpenExisting(_path, null, JobStoreAccess.Completion))
            Assert.Equal("old", Assert.Single(completion!.ListJobs()).Name);
        Assert.Equal(1, SchemaVersion());
        using (var query = JobStores.OpenExisting(_path, null, JobStoreAccess.Query))
            Assert.Equal("old", Assert.Single(query!.ListJobs()).Name);
        Assert.Equal(SqliteSchema.Migrations.Length, SchemaVersion());
    }

    private long SchemaVersion()
    {
        using var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MAX(version) FROM schema_info";
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task Two_connections_opening_a_new_store_at_once_both_open_it()
    {
        // Each open upgrades the schema: the second must wait for the first and find its tables, not make them again.
        for (int attempt = 0; attempt < 40; attempt++)
        {
            string path = _folder.File($"new-{attempt}.db");
            using var start = new Barrier(2);
            var opens = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait();
                new SqliteJobStore(path).Dispose();
            })).ToArray();
            await Task.WhenAll(opens);
        }
    }

    /// <summary>
    /// Every item, or one status: an index range in id order, of which SQLite reads no more than the page needs.
    /// Several statuses (Pending is two as stored: queued items are Running, not begun) are several ranges, read whole
    /// and sorted; still only those statuses' items, so a job's few failures are found without passing its other items.
    /// </summary>
    [Theory]
    [InlineData(new ItemStatus[0], "items_by_job", false)]
    [InlineData(new[] { ItemStatus.Failed }, "items_by_status", false)]
    [InlineData(new[] { ItemStatus.Pending }, "items_by_status", true)]
    [InlineData(new[] { ItemStatus.Failed, ItemStatus.Skipped }, "items_by_status", true)]
    public void A_page_of_items_walks_an_index_rather_than_every_item_of_the_job(ItemStatus[] statuses, string index, bool sorted)
    {
        using (var setup = new SqliteJobStore(_path))
            setup.CreateOrUpdateJob("j", Options);
        using var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        connection.Open();
        using var explain = connection.CreateCommand();
        explain.CommandText = $"EXPLAIN QUERY PLAN {SqliteJobStore.ItemsQuery(statuses)}";
        foreach (var (name, value) in new[] { ("$job", 1L), ("$take", 20L), ("$skip", 20L) })
            explain.Parameters.AddWithValue(name, value);
        using var reader = explain.ExecuteReader();
        var plan = new List<string>();
        while (reader.Read())
            plan.Add(reader.GetString(3));
        Assert.Contains(plan, step => step.StartsWith($"SEARCH i USING INDEX {index} (job_id=?", StringComparison.Ordinal));
        Assert.Equal(sorted, plan.Any(step => step.Contains("TEMP B-TREE", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused_and_left_unchanged()
    {
        var garbage = Enumerable.Range(0, 4096).Select(i => (byte)(i % 251)).ToArray();
        File.WriteAllBytes(_path, garbage);
        var error = Assert.Throws<JobStoreException>(() => new SqliteJobStore(_path));
        Assert.Equal("JobStoreCorrupt", error.ErrorId);
        Assert.Equal(garbage, File.ReadAllBytes(_path));
    }
}
