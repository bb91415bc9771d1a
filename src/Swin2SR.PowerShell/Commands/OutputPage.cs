using System.Management.Automation;
using Swin2SR.Core.Jobs;

namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// -Skip and -First over a command's whole output, which lists one job after another (patterns, piped names):
/// what is left of each after the jobs listed so far, as the page to ask the next job's store for.
/// </summary>
internal sealed class OutputPage(PagingParameters paging)
{
    private ulong _skip = paging.Skip;
    private ulong _first = paging.First;

    /// <summary>The page for the next job. -First's default, ulong.MaxValue, is no limit.</summary>
    public ItemPage Next => new((long)Math.Min(_skip, long.MaxValue), _first >= long.MaxValue ? null : (long)_first);

    /// <summary>
    /// Counts a job's listing against the page. <paramref name="matching"/> (the job's items without a page) is asked
    /// only when the job listed nothing and some are still to skip for a page not yet full: the store skipped all the
    /// job's items, but how many is unknown.
    /// </summary>
    public void Passed(int listed, Func<long> matching)
    {
        if (listed > 0)
        {
            _skip = 0;
            _first -= (ulong)listed;
        }
        else if (_skip > 0 && _first > 0)
        {
            _skip -= Math.Min(_skip, (ulong)matching());
        }
    }
}
