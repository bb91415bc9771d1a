namespace Swin2SR.Core.Tests.Support;

/// <summary>A fact about Linux file systems (named pipes, /dev): skipped, with the reason, elsewhere.</summary>
internal sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
            Skip = "needs Linux (named pipes and /dev)";
    }
}
