namespace Swin2SR.Core.Models;

/// <summary>A catalog that cannot be read or is not valid; the message names the catalog and the reason.</summary>
public sealed class ModelCatalogException : Exception
{
    public ModelCatalogException(string source, string reason, Exception? inner = null, bool unreadable = false)
        : base($"Model catalog '{source}': {reason}", inner)
    {
        CatalogSource = source;
        Unreadable = unreadable;
    }

    /// <summary>The path or URL of the catalog.</summary>
    public string CatalogSource { get; }

    /// <summary>True when the catalog could not be read at all (missing file, server error), false when its content is wrong.</summary>
    public bool Unreadable { get; }
}
