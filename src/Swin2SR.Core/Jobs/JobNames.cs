using System.Globalization;

namespace Swin2SR.Core.Jobs;

/// <summary>Names for jobs the user did not name: sortable by time, unique enough across hosts.</summary>
public static class JobNames
{
    // The invariant culture's Gregorian calendar: under fa-IR the current culture's calendar is the Persian one and
    // under ar-SA the Hijri one (upscale-14050916-... for 2026-12-07), so names from hosts sharing a store would
    // not sort together and would not read as the date they are.
    public static string Generate() =>
        string.Create(CultureInfo.InvariantCulture, $"upscale-{DateTime.Now:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..4]}");
}
