namespace Swin2SR.PowerShell;

/// <summary>
/// The engine and the journal record a size they never learned (an input that could not be read, an output never
/// made) as 0; the objects users see leave it empty, so a table never shows a 0x0 image that does not exist.
/// </summary>
internal static class KnownSize
{
    public static int? Of(int? pixels) => pixels > 0 ? pixels : null;

    /// <summary>"WxH" where both are known, as the views show a size; null otherwise.</summary>
    public static string? Text(int? width, int? height) => width is { } w && height is { } h ? $"{w}x{h}" : null;
}
