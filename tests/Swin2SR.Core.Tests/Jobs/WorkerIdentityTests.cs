using Swin2SR.Core.Jobs;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Jobs;

/// <summary>A worker is judged by its pid only where that pid names the same process as here.</summary>
public sealed class WorkerIdentityTests
{
    /// <summary>A worker on this host's name whose pid and start time match no process here, last heard from now.</summary>
    private static WorkerRecord UnknownProcess(string? scope)
    {
        var now = DateTimeOffset.UtcNow;
        return new WorkerRecord("w", WorkerIdentity.Host, int.MaxValue - 1, 0, "cpu", now, now, 0, scope);
    }

    [LinuxFact]
    public void On_linux_this_process_has_a_scope_of_its_boot_and_pid_namespace()
    {
        Assert.NotNull(WorkerIdentity.ProcessScope);
        Assert.StartsWith(File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim(), WorkerIdentity.ProcessScope);
        Assert.EndsWith(new FileInfo("/proc/self/ns/pid").LinkTarget!, WorkerIdentity.ProcessScope);
        Assert.Equal(WorkerIdentity.ProcessScope, WorkerIdentity.ForThisProcess("cpu").ProcessScope);
    }

    [Fact]
    public void A_worker_of_this_scope_whose_process_is_gone_is_dead_at_once()
    {
        Assert.False(WorkerIdentity.IsAlive(UnknownProcess(WorkerIdentity.ProcessScope), TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void A_worker_of_the_same_host_name_in_another_container_is_judged_by_its_heartbeat_not_by_a_pid_here()
    {
        var other = UnknownProcess("another boot pid:[4026532451]");
        Assert.True(WorkerIdentity.IsAlive(other, TimeSpan.FromMinutes(1)), "its heartbeat is fresh");
        Assert.False(WorkerIdentity.IsAlive(other with { Heartbeat = DateTimeOffset.UtcNow.AddMinutes(-2) }, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void This_process_is_alive()
    {
        Assert.True(WorkerIdentity.IsAlive(WorkerIdentity.ForThisProcess("cpu") with { Heartbeat = DateTimeOffset.UnixEpoch }, TimeSpan.FromMinutes(1)));
    }
}
