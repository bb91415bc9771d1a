namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// One Write-Progress activity id per run of any of the module's commands in the process. The host keeps one bar per
/// id: a Receive-Job of two -AsJob runs writes both runs' records from one command, and Invoke-Swin2SRUpscale piped
/// into Measure-Swin2SRQuality shows both bars at once, so commands that shared an id overwrote each other's bar.
/// </summary>
internal static class ProgressActivityIds
{
    private static int s_last;

    public static int Next() => Interlocked.Increment(ref s_last);
}
