using System.Management.Automation;
using Swin2SR.Core.Models;

namespace Swin2SR.PowerShell.Commands;

/// <summary>Resolves -Catalog: an http(s) address as it is, anything else as a PowerShell path; none means the module's catalog.</summary>
internal static class CatalogPath
{
    public static string Resolve(PSCmdlet cmdlet, string? catalog) =>
        catalog is null ? ModelManager.DefaultCatalog
        : CatalogLoader.IsUrl(catalog) ? catalog
        : FileSystemPath.Resolve(cmdlet, catalog);
}
