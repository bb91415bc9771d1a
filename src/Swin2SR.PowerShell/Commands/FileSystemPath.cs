using System.Management.Automation;

namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// Path parameters (-OutputDirectory, -KeepRejected, -JobStore, -Model, -Catalog) as file-system paths, read from
/// PowerShell's current location with ~ and PSDrives. A path of another provider (Env:\out, Variable:\x) is refused:
/// its provider path ("out") is no file-system path, and .NET would read it from the process's folder instead.
/// </summary>
internal static class FileSystemPath
{
    /// <summary>The file-system path; a path of another provider ends the command with NotFileSystemPath.</summary>
    public static string Resolve(PSCmdlet cmdlet, string path)
    {
        string full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
        if (!IsFileSystem(provider))
            cmdlet.ThrowTerminatingError(NotFileSystem(path));
        return full;
    }

    public static bool IsFileSystem(ProviderInfo provider) => provider.ImplementingType == typeof(Microsoft.PowerShell.Commands.FileSystemProvider);

    public static ErrorRecord NotFileSystem(string path) =>
        new(new ArgumentException($"'{path}' is not a file-system path."), "NotFileSystemPath", ErrorCategory.InvalidArgument, path);
}
