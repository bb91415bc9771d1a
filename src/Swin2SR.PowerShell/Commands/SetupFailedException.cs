using System.Management.Automation;

namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// A broken setup (no model, bad tiling, unusable store): a terminating error, as every image would fail alike.
/// A missing job is not <see cref="Terminating"/>: a command given several jobs goes on with the others.
/// </summary>
internal sealed class SetupFailedException : Exception
{
    public SetupFailedException(ErrorRecord record, bool terminating = true)
        : base(record.Exception.Message, record.Exception)
    {
        Record = record;
        Terminating = terminating;
    }

    public ErrorRecord Record { get; }
    public bool Terminating { get; }
}
