using System.Diagnostics;
using System.Net.Sockets;
using Npgsql;

namespace Swin2SR.Core.Jobs.Postgres;

/// <summary>
/// Runs a store operation again when it failed for a reason that passes: the connection was lost, the server is
/// restarting or shutting down, or a transaction lost a race (serialization failure, deadlock). Waits grow from
/// 100 ms to 2 s, for up to a time budget (see <see cref="JobStoreAccess"/>), so workers pause through a database
/// restart and carry on. An operation is told when it is a retry: its previous attempt may have committed without
/// the answer reaching us, and it must not do its work twice.
/// </summary>
internal sealed class TransientRetry
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestDelay = TimeSpan.FromSeconds(2);

    private readonly TimeSpan _budget;
    private readonly Action _afterFailure;
    private int _retries;
    private volatile bool _reachedOnce;

    /// <param name="afterFailure">Runs after each transient failure, before the wait (the store drops its pooled connections).</param>
    public TransientRetry(TimeSpan budget, Action afterFailure)
    {
        _budget = budget;
        _afterFailure = afterFailure;
    }

    /// <summary>How many times an operation was retried: for diagnostics and tests.</summary>
    public int Retries => Volatile.Read(ref _retries);

    /// <param name="operation">Receives true when it is a retry.</param>
    /// <param name="beforeFirstWait">Told of the first transient failure, before the first wait.</param>
    public T Run<T>(Func<bool, T> operation, Action<Exception>? beforeFirstWait = null)
    {
        var elapsed = Stopwatch.StartNew();
        var delay = FirstDelay;
        for (bool retry = false; ; retry = true)
        {
            try
            {
                var result = operation(retry);
                _reachedOnce = true;
                return result;
            }
            catch (Exception e) when (WorthRetrying(e) && elapsed.Elapsed + delay < _budget)
            {
                Interlocked.Increment(ref _retries);
                _afterFailure();
                if (!retry)
                    beforeFirstWait?.Invoke(e);
                Thread.Sleep(delay + TimeSpan.FromMilliseconds(Random.Shared.Next(50)));
                delay = TimeSpan.FromTicks(Math.Min(LongestDelay.Ticks, delay.Ticks * 2));
            }
        }
    }

    // A host name that stops resolving once the server was reached is a DNS change in a failover, waited out like a restart.
    private bool WorthRetrying(Exception e) => IsTransient(e) || _reachedOnce && e is NpgsqlException n && IsUnknownHost(n);

    public static bool IsTransient(Exception e) => e switch
    {
        // 57P01-03: the server is shutting down or starting up; 08: the connection failed; 40001/40P01: a lost race.
        PostgresException p => p.SqlState is "57P01" or "57P02" or "57P03" or "40001" or "40P01" || p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.IsTransient,
        // Npgsql calls every socket error transient, but a host name that never resolved will not start to.
        NpgsqlException n when IsUnknownHost(n) => false,
        NpgsqlException n => n.IsTransient || n.InnerException is IOException or SocketException or TimeoutException,
        _ => false,
    };

    /// <summary>The server's name does not resolve (NXDOMAIN, or no address); a resolver that failed for a moment (TryAgain) is transient.</summary>
    public static bool IsUnknownHost(NpgsqlException e) =>
        e.InnerException is SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData };
}
