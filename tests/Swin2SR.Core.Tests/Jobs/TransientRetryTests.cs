using System.Net.Sockets;
using Npgsql;
using Swin2SR.Core.Jobs.Postgres;

namespace Swin2SR.Core.Tests.Jobs;

/// <summary>
/// A host name that does not resolve: final for a store never reached (a typo in the connection string fails at
/// once), waited out like a restart once the server was reached (a DNS record changing in a failover).
/// </summary>
public sealed class TransientRetryTests
{
    private static NpgsqlException UnknownHost() => new("Name or service not known", new SocketException((int)SocketError.HostNotFound));

    [Fact]
    public void An_unknown_host_fails_at_once_when_the_server_was_never_reached()
    {
        var retry = new TransientRetry(TimeSpan.FromSeconds(30), () => { });
        Assert.Throws<NpgsqlException>(() => retry.Run<int>(_ => throw UnknownHost()));
        Assert.Equal(0, retry.Retries);
    }

    [Fact]
    public void An_unknown_host_is_waited_out_once_the_server_was_reached()
    {
        var retry = new TransientRetry(TimeSpan.FromSeconds(30), () => { });
        Assert.Equal(1, retry.Run(_ => 1));
        int attempts = 0;
        Assert.Equal(2, retry.Run(_ => ++attempts < 3 ? throw UnknownHost() : 2));
        Assert.Equal(2, retry.Retries);
    }
}
