using System.Diagnostics;

namespace Swin2SR.Core.Jobs;

/// <summary>
/// Who holds a lease: host, process id and that process's start time (a recycled pid is not the same worker).
/// A lease held by a dead process on this host is recovered at once instead of waiting for it to expire.
/// </summary>
public static class WorkerIdentity
{
    public static string Host { get; } = Environment.MachineName;

    public static WorkerRecord ForThisProcess(string device)
    {
        using var process = Process.GetCurrentProcess();
        long startMs = new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds();
        var now = DateTimeOffset.UtcNow;
        return new WorkerRecord($"{Host}:{process.Id}:{Guid.NewGuid().ToString("N")[..8]}", Host, process.Id, startMs, device, now, now, 0);
    }

    /// <summary>
    /// Alive if on this host and its process still runs; on another host, if its heartbeat is recent.
    /// </summary>
    public static bool IsAlive(WorkerRecord worker, TimeSpan leaseDuration)
    {
        if (!string.Equals(worker.Host, Host, StringComparison.OrdinalIgnoreCase))
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
