namespace Swin2SR.PowerShell;

/// <summary>
/// The compact forms the default views (Swin2SR.PowerShell.Format.ps1xml) show, so that a table keeps its key
/// columns whole at 80 columns (a cron or Task Scheduler log, pwsh -File redirected to a file). Public because the
/// views' script blocks call it; the objects keep their full values.
/// </summary>
public static class Swin2SRDisplay
{
    /// <summary>"0.81s", "12.3s", "4m05s", "42m", "1h02m", "3d04h": at most 5 characters; null stays null.</summary>
    public static string? Duration(TimeSpan? span)
    {
        if (span is not { } value)
            return null;
        double seconds = Math.Max(0, value.TotalSeconds);
        // The thresholds are where the rounded text would grow a digit (9.996 s is "10.0s", not "10.00s").
        if (seconds < 9.995)
            return $"{seconds:0.00}s";
        if (seconds < 59.95)
            return $"{seconds:0.0}s";
        long whole = (long)Math.Round(seconds);
        return whole switch
        {
            < 600 => $"{whole / 60}m{whole % 60:00}s",
            < 3600 => $"{whole / 60}m",
            < 86_400 => $"{whole / 3600}h{whole % 3600 / 60:00}m",
            _ => $"{whole / 86_400}d{whole % 86_400 / 3600:00}h",
        };
    }

    /// <summary>
    /// A number of bytes (or bytes per second) in decimal units, as the Hugging Face hub shows a file's size:
    /// "812 B", "54.4 MB"; null stays null.
    /// </summary>
    public static string? Bytes(double? bytes)
    {
        if (bytes is not double value)
            return null;
        string[] units = ["B", "kB", "MB", "GB", "TB"];
        int unit = 0;
        while (value >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }
        return unit == 0 ? $"{value:0} B" : $"{value:0.#} {units[unit]}";
    }

    /// <summary>"12/40"; past 9 characters in thousands or millions ("12k/200k", "1.2M/3M"), as the column is 9 wide.</summary>
    public static string Progress(long done, long total)
    {
        string exact = $"{done}/{total}";
        return exact.Length <= 9 ? exact : $"{Abbreviated(done)}/{Abbreviated(total)}";
    }

    private static string Abbreviated(long count) => count switch
    {
        < 1000 => $"{count}",
        < 1_000_000 => $"{count / 1000}k",
        _ => $"{Math.Floor(count / 100_000.0) / 10:0.#}M",
    };

    /// <summary>Per second, with the digits that matter: "0.63", "12.4", "123".</summary>
    public static string Rate(double perSecond) => perSecond switch
    {
        < 9.995 => $"{perSecond:0.00}",
        < 99.95 => $"{perSecond:0.0}",
        _ => $"{perSecond:0}",
    };

    /// <summary>
    /// A folder relative to <paramref name="currentLocation"/> when it is below it (the part that tells folders
    /// apart), else in full.
    /// </summary>
    public static string Folder(string directory, string currentLocation)
    {
        string relative = System.IO.Path.GetRelativePath(currentLocation, directory);
        bool outside = relative == ".." || relative.StartsWith(".." + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal)
            || System.IO.Path.IsPathRooted(relative);
        return outside ? directory : relative;
    }
}
