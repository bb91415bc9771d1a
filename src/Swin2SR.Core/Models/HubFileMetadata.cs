namespace Swin2SR.Core.Models;

/// <summary>
/// What the Hugging Face hub states about a file when asked with HEAD on its resolve address: for files kept in
/// LFS, <c>X-Linked-Etag</c> is the quoted SHA-256 of the content and <c>X-Linked-Size</c> its length, and
/// <c>X-Repo-Commit</c> the commit the revision resolved to. These headers sit on the hub's own answer (a redirect
/// to its storage), which is why the installer reads them before following any redirect.
/// </summary>
internal sealed record HubFileMetadata(string? Sha256, long? SizeBytes, string? Commit)
{
    public static HubFileMetadata From(HttpResponseMessage response)
    {
        string? etag = Header(response, "X-Linked-Etag");
        string? sha256 = etag is null ? null : Unquote(etag);
        string? size = Header(response, "X-Linked-Size");
        string? commit = Header(response, "X-Repo-Commit");
        return new HubFileMetadata(
            sha256 is not null && ModelCatalog.IsSha256(sha256) ? sha256.ToLowerInvariant() : null,
            long.TryParse(size, out long bytes) && bytes > 0 ? bytes : null,
            commit is not null && ModelCatalog.IsCommit(commit) ? commit : null);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault()?.Trim() : null;

    private static string Unquote(string etag)
    {
        if (etag.StartsWith("W/", StringComparison.Ordinal))
            etag = etag[2..];
        return etag.Trim('"');
    }
}
