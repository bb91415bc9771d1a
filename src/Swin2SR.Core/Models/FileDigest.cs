using System.Security.Cryptography;

namespace Swin2SR.Core.Models;

/// <summary>The SHA-256 of a file, as catalogs and the hub write it (lowercase hex): what identifies a model's bytes.</summary>
public static class FileDigest
{
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
    }

    /// <summary>The SHA-256 of a text's UTF-8 bytes, in the same form: a name that is a safe file name whatever the text.</summary>
    public static string Sha256Text(string text) =>
        Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
}
