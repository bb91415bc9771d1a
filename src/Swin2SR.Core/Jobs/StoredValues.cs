using System.Data.Common;

namespace Swin2SR.Core.Jobs;

/// <summary>
/// Reading the columns both job stores share: SQLite and PostgreSQL keep times as Unix milliseconds (UTC, so a store
/// shared by hosts in different time zones reads the same instant everywhere) and leave unknown values NULL.
/// </summary>
internal static class StoredValues
{
    public static string? NullableString(this DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    public static int? NullableInt(this DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt32(i);

    public static long? NullableInt64(this DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

    public static DateTimeOffset? NullableTime(this DbDataReader r, int i) => r.IsDBNull(i) ? null : FromMs(r.GetInt64(i));

    public static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
