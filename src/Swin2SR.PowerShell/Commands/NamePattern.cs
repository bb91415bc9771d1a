using System.Management.Automation;

namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// A wildcard over job and model names, as -Name takes them, ignoring case as the invariant culture does or as the
/// current one does. The current culture's alone failed ASCII names under tr-TR, where 'I' lowers to a dotless 'ı':
/// 'NIGHTLY*' matched no job 'nightly-scans', and 'CLASSICAL-X2' no model. The invariant one's alone would fail the
/// Turkish names that matched there before: 'istanbul*' for a job 'İstanbul-gece'.
/// </summary>
internal sealed class NamePattern
{
    private readonly WildcardPattern _invariant;
    private readonly WildcardPattern _current;

    private NamePattern(string pattern)
    {
        _invariant = WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
        _current = WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase);
    }

    public static NamePattern Of(string pattern) => new(pattern);

    public bool IsMatch(string name) => _invariant.IsMatch(name) || _current.IsMatch(name);
}
