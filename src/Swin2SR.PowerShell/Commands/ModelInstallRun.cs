using System.Management.Automation;
using Swin2SR.Core.Models;

namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// One installation running on a worker thread. The worker only records its latest progress; the cmdlet polls
/// <see cref="Wait"/> on the pipeline thread and writes progress, the result or the error there.
/// </summary>
internal sealed class ModelInstallRun : IDisposable
{
    private readonly CancellationTokenSource _cancellation;
    private readonly ModelInstallProgress _progress;
    private readonly object _gate = new();
    private DownloadProgress? _latest;
    private Task<InstalledModel> _task = null!;

    private ModelInstallRun(string name, CancellationToken stopping)
    {
        _progress = new ModelInstallProgress(name);
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping);
    }

    /// <param name="stopping">Cancels the installation when the pipeline stops, also one that stopped before it started.</param>
    public static ModelInstallRun Start(ModelInstaller installer, CatalogEntry entry, bool force, CancellationToken stopping)
    {
        var run = new ModelInstallRun(entry.Name, stopping);
        run._task = Task.Run(() => installer.InstallAsync(entry, force, run.Report, run._cancellation.Token));
        return run;
    }

    /// <summary>True once the installation has ended, one way or another.</summary>
    public bool Wait(TimeSpan timeout) => ((IAsyncResult)_task).AsyncWaitHandle.WaitOne(timeout);

    /// <summary>The newest progress since the last call, as a Write-Progress record; null when nothing moved.</summary>
    public ProgressRecord? TakeProgress()
    {
        DownloadProgress? latest;
        lock (_gate)
        {
            latest = _latest;
            _latest = null;
        }
        return latest is { } progress ? _progress.Record(progress) : null;
    }

    public ProgressRecord Completed() => _progress.Completed();

    public bool Canceled => _task.IsCanceled || (_task.IsFaulted && _task.Exception!.InnerException is OperationCanceledException);

    /// <summary>After <see cref="Wait"/>: the installed model, or null with <paramref name="error"/> set.</summary>
    public Swin2SRModelInfo? Result(out ErrorRecord? error)
    {
        error = null;
        if (_task.IsCompletedSuccessfully)
            return ModelManager.Installed(_task.Result);
        var failure = _task.Exception?.InnerException;
        if (failure is ModelInstallException e)
        {
            error = ModelErrorRecords.FromInstall(e);
            return null;
        }
        throw failure ?? new OperationCanceledException();
    }

    private void Report(DownloadProgress progress)
    {
        lock (_gate)
            _latest = progress;
    }

    public void Dispose()
    {
        _cancellation.Cancel();
        Wait(TimeSpan.FromSeconds(5));
        _cancellation.Dispose();
    }
}
