using System.Management.Automation;

namespace Swin2SR.PowerShell.Commands;

/// <summary>A broken setup (no model, bad tiling): the cmdlet turns it into a terminating error, as every image would fail alike.</summary>
internal sealed class SetupFailedException : Exception
{
    public SetupFailedException(ErrorRecord record)
        : base(record.Exception.Message, record.Exception)
    {
        Record = record;
    }

    public ErrorRecord Record { get; }
}
