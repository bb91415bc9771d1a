using System.Diagnostics;

namespace Swin2SR.Core.Jobs;

/// <summary>
/// Who holds a lease: host, process id and that process's start time (a recycled pid is not the same worker).
/// A lease held by a dead process on this host is recovered at once instead of waiting for it to expire.
/// </summary>
public static class WorkerIdentity
{
    public static string Host { get; } = Environment.MachineName;

    /// <summary>
    /// Where a process id names the same process as here. A host name does not say it: containers run with the
    /// host's network (one container per GPU, say) share its name but each has its own pids, and a machine cloned
    /// with its name has other processes under the same numbers. On Linux: the boot (the kernel's boot_id) and the
    /// pid namespace; null elsewhere, where the host name alone decides (as for workers of older versions).
    /// </summary>
    public static string? ProcessScope { get; } = ReadProcessScope();

    private static string? ReadProcessScope()
    {
        if (!OperatingSystem.IsLinux())
            return null;
        try
        {
            string boot = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
            string? pidNamespace = new FileInfo("/proc/self/ns/pid").LinkTarget;
            return pidNamespace is null ? null : $"{boot} {pidNamespace}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static WorkerRecord ForThisProcess(string device)
    {
        using var process = Process.GetCurrentProcess();
        long startMs = new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds();
        var now = DateTimeOffset.UtcNow;
        return new WorkerRecord($"{Host}:{process.Id}:{Guid.NewGuid().ToString("N")[..8]}", Host, process.Id, startMs, device, now, now, 0, ProcessScope);
    }

    /// <summary>A worker whose pid can be looked up here: of this host's name, and of the same <see cref="ProcessScope"/>.</summary>
    public static bool IsOfThisHost(WorkerRecord worker) =>
        string.Equals(worker.Host, Host, StringComparison.OrdinalIgnoreCase) && worker.ProcessScope == ProcessScope;

    /// <summary>
    /// Alive (<see cref="IsAlive"/>) and heard from within a lease: working on the job, as far as anyone can tell. A
    /// process alive here may hold nothing: its run ended on a job store that was down (past its retries) and could not
    /// say so, and the session that ran it goes on (an interactive one, -AsJob). Counted as working, it kept the job
    /// Running in Get-Swin2SRJob, and a rerun left the images it had held to it, until the session ended.
    /// </summary>
    public static bool IsWorking(WorkerRecord worker, TimeSpan leaseDuration) =>
        DateTimeOffset.UtcNow - worker.Heartbeat < leaseDuration && IsAlive(worker, leaseDuration);

    /// <summary>
    /// Alive if its process runs, where its pid can be looked up here (this host, and the same <see cref="ProcessScope"/>);
    /// elsewhere, if its heartbeat is recent.
    /// </summary>
    public static bool IsAlive(WorkerRecord worker, TimeSpan leaseDuration)
    {
        if (!IsOfThisHost(worker))
            return DateTimeOffset.UtcNow - worker.Heartbeat < leaseDuration;
        try
        {
            using var process = Process.GetProcessById(worker.ProcessId);
            long startMs = new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds();
            // Start times read twice can differ by rounding; a recycled pid starts much later.
            return !process.HasExited && Math.Abs(startMs - worker.ProcessStartMs) < 2000;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
