namespace Swin2SR.PowerShell.Commands;

/// <summary>Time remaining for <see cref="System.Management.Automation.ProgressRecord.SecondsRemaining"/>.</summary>
internal static class ProgressTime
{
    /// <summary>
    /// Whole seconds, rounded up, at most <see cref="int.MaxValue"/>: an estimate past it (a download trickling at a
    /// few bytes a second) would cast to <see cref="int.MinValue"/> on .NET 8 (PowerShell 7.4); .NET 9 and later saturate.
    /// </summary>
    public static int Seconds(double seconds) => (int)Math.Min(Math.Ceiling(seconds), int.MaxValue);
}
