using System.Management.Automation;

namespace Swin2SR.PowerShell.Completion;

/// <summary>
/// A path typed earlier on the line (-JobStore, -Catalog), read as the command will read it: from PowerShell's
/// current location (Set-Location, Push-Location), with ~ and PSDrives. .NET would read it from the process's
/// folder, which stays where pwsh started, and offer the names of another store, or none.
/// </summary>
internal static class CompletionPath
{
    /// <summary>The file-system path; the text as typed where it is no PowerShell path (a drive that does not exist).</summary>
    public static string Resolve(string typed)
    {
        // Completers run on the pipeline thread of the session that asks, so this runs nested in it, at its location.
        using var shell = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
        var resolved = shell.AddScript("$ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($args[0])")
            .AddArgument(typed).Invoke<string>();
        return resolved.Count == 1 && !shell.HadErrors ? resolved[0] : typed;
    }
}
