using System.Management.Automation;
using Swin2SR.Core.Models;

namespace Swin2SR.PowerShell.Commands;

/// <summary>Turns the engine's model errors into error records with stable ids, categories, the model as target and a recommended action.</summary>
internal static class ModelErrorRecords
{
    public static ErrorRecord FromInstall(ModelInstallException e)
    {
        var (id, category, action) = e.Error switch
        {
            ModelInstallError.Offline => ("ModelServerUnreachable", ErrorCategory.ConnectionError, "Check the network and proxy, or use -Catalog with a catalog that points at a reachable mirror."),
            ModelInstallError.NotFound => ("ModelFileNotFound", ErrorCategory.ObjectNotFound, "The catalog entry points at a file that does not exist: update the module or the catalog."),
            ModelInstallError.ConnectionDropped => ("ModelDownloadInterrupted", ErrorCategory.ConnectionError, "Run the same Install-Swin2SRModel command again: it resumes where the download stopped."),
            ModelInstallError.HashMismatch => ("ModelHashMismatch", ErrorCategory.SecurityError, "The file is not the one the catalog or the server vouches for; do not use it. Try again later or report the catalog entry."),
            ModelInstallError.HashUnavailable => ("ModelHashUnavailable", ErrorCategory.SecurityError, "Add the file's sha256 to the catalog entry: (Get-FileHash <file>).Hash of a copy you trust."),
            ModelInstallError.DiskFull => ("ModelDiskFull", ErrorCategory.WriteError, $"Free some disk space, or set $env:{ModelStore.EnvironmentVariable} to a folder on another disk."),
            ModelInstallError.WriteFailed => ("ModelWriteFailed", ErrorCategory.WriteError, $"Check the permissions of the model folder, or set $env:{ModelStore.EnvironmentVariable}."),
            ModelInstallError.InProgress => ("ModelInstallInProgress", ErrorCategory.ResourceBusy, "Wait for the other Install-Swin2SRModel to finish (Get-Swin2SRModel -Installed then lists the model), or run this one again afterwards."),
            ModelInstallError.DataFileRefused => ("ModelDataFileRefused", ErrorCategory.InvalidData, "The model's graph names a weights file that cannot be installed beside it (a path out of its folder, or the model file's own name); report the catalog entry."),
            _ => ("ModelDownloadFailed", ErrorCategory.InvalidResult, "Try again later."),
        };
        return ErrorRecords.WithAction(e, id, category, e.Model, action);
    }

    /// <param name="names">The catalog's names, of which the close ones are offered.</param>
    public static ErrorRecord NotInCatalog(string name, string catalog, IEnumerable<string> names) =>
        ErrorRecords.WithAction(new ItemNotFoundException($"Model '{name}' is not in the catalog '{catalog}'.{Offer(name, names)}"), "ModelNotInCatalog", ErrorCategory.ObjectNotFound, name,
            "Get-Swin2SRModel lists the models that can be installed.");

    /// <param name="names">Every model's name, of which the close ones are offered.</param>
    public static ErrorRecord NotFound(string name, IEnumerable<string> names) =>
        ErrorRecords.WithAction(new ItemNotFoundException($"No model matches '{name}'.{Offer(name, names)}"), "ModelNotFound", ErrorCategory.ObjectNotFound, name,
            "Get-Swin2SRModel without -Name lists every model.");

    /// <param name="names">The installed models' names, of which the close ones are offered.</param>
    public static ErrorRecord NotInstalled(string name, string folder, IEnumerable<string> names) =>
        ErrorRecords.WithAction(new ItemNotFoundException($"Model '{name}' is not installed in '{folder}'.{Offer(name, names)}"), "ModelNotInstalled", ErrorCategory.ObjectNotFound, name,
            "Get-Swin2SRModel -Installed lists the installed models.");

    public static ErrorRecord IsEmbedded(string name) =>
        ErrorRecords.WithAction(new InvalidOperationException($"Model '{name}' is embedded in the module; it cannot be uninstalled."), "ModelIsEmbedded", ErrorCategory.InvalidOperation, name,
            "Embedded models ship with the module and take no space in the model folder.");

    // " Did you mean 'classical-x4'?" after the message (a sentence of its own), or nothing when no name is close.
    private static string Offer(string name, IEnumerable<string> names) =>
        ModelNameSuggestions.DidYouMean(ModelNameSuggestions.Closest(name, names)) is { } offer ? $" {char.ToUpperInvariant(offer[0])}{offer[1..]}" : "";

    public static ErrorRecord Catalog(ModelCatalogException e) =>
        e.Unreadable
            ? ErrorRecords.WithAction(e, "CatalogUnavailable", ErrorCategory.ReadError, e.CatalogSource, "Check the path or address given to -Catalog.")
            : ErrorRecords.WithAction(e, "CatalogInvalid", ErrorCategory.InvalidData, e.CatalogSource, "Correct the catalog file.");

    /// <param name="setting">Why the variable's value cannot be used; null when it is not set.</param>
    public static ErrorRecord NoModelFolder(string? setting) =>
        ErrorRecords.WithAction(new InvalidOperationException(setting is null
                ? $"There is no folder to install models into: this account has no local data folder and $env:{ModelStore.EnvironmentVariable} is not set."
                : $"There is no folder to install models into: {setting}."),
            "ModelFolderUnavailable", ErrorCategory.ResourceUnavailable, setting is null ? null : Environment.GetEnvironmentVariable(ModelStore.EnvironmentVariable),
            $"Set $env:{ModelStore.EnvironmentVariable} to the full path of a folder for the models.");

    public static ErrorRecord FolderIsFile(string folder, string file) =>
        ErrorRecords.WithAction(new IOException($"The model folder '{folder}' cannot be used: '{file}' is a file, not a folder."),
            "ModelFolderUnavailable", ErrorCategory.ResourceUnavailable, folder, $"Move the file away, or set $env:{ModelStore.EnvironmentVariable} to a folder for the models.");
}
