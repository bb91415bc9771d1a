using Microsoft.Data.Sqlite;

namespace Swin2SR.Core.Tests.Support;

internal static class SilentWorkers
{
    /// <summary>
    /// The worker last heard from five minutes ago in the SQLite store at <paramref name="path"/>: a process stopped or
    /// hung, or one whose run ended without reaching the store to say so.
    /// </summary>
    public static void Silence(string path, string workerId)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var stale = connection.CreateCommand();
        stale.CommandText = "UPDATE workers SET heartbeat_ms = $ms WHERE id = $id";
        stale.Parameters.AddWithValue("$ms", DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds());
        stale.Parameters.AddWithValue("$id", workerId);
        stale.ExecuteNonQuery();
    }
}
