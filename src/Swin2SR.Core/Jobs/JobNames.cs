namespace Swin2SR.Core.Jobs;

/// <summary>Names for jobs the user did not name: sortable by time, unique enough across hosts.</summary>
public static class JobNames
{
    public static string Generate() => $"upscale-{DateTime.Now:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..4]}";
}
