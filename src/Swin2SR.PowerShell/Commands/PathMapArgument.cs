using System.Management.Automation;
using Swin2SR.Core.Jobs;

namespace Swin2SR.PowerShell.Commands;

/// <summary>-PathMap (or $env:SWIN2SR_PATHMAP) as the engine's <see cref="PathMap"/>; a malformed one is a setup error.</summary>
internal static class PathMapArgument
{
    public static PathMap Resolve(string[]? pairs)
    {
        try
        {
            return PathMap.Resolve(pairs);
        }
        catch (ArgumentException e)
        {
            throw new SetupFailedException(new ErrorRecord(e, "InvalidPathMap", ErrorCategory.InvalidArgument, pairs ?? (object?)Environment.GetEnvironmentVariable(PathMap.EnvironmentVariable)));
        }
    }
}
