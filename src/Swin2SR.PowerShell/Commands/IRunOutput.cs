using System.Management.Automation;

namespace Swin2SR.PowerShell.Commands;

/// <summary>Where a run's results, errors and progress go: the cmdlet's streams, or a background job's.</summary>
internal interface IRunOutput
{
    void Result(Swin2SRUpscaleResult result);
    void Error(ErrorRecord error);
    void Progress(ProgressRecord progress);
    void Verbose(string message);
    void Warning(string message);

    /// <summary>Set when the user stopped the pipeline (Ctrl+C) or the job (Stop-Job).</summary>
    bool Stopping { get; }

    /// <summary>Whether what is written once <see cref="Stopping"/> is set is still read: a job's streams, after Stop-Job.</summary>
    bool ReadAfterStop { get; }
}
