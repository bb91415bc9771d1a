using System.Runtime.InteropServices;

namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// SIGTERM (systemd stopping a unit, `timeout`, a shutdown) and SIGHUP (the terminal or ssh session closed) end
/// the process, and PowerShell does not turn them into a pipeline stop as it does Ctrl+C. Without this, a run
/// killed that way left its images in flight Running under a worker that no longer exists: the next run took them
/// for images that crash their worker, ran each alone and counted a lost worker against it (three nightly runs
/// cut short by a time limit would fail an image as WorkerLost), and the log ended without a word. While a run is
/// registered here, the signal first stops the run as Ctrl+C does (the images in flight go back to Pending, temp
/// files are removed) and says so on stderr; the process then ends as the signal asks (exit code 143 or 129).
/// The process ending while a run still works is handled the same way: that happens to a -AsJob run when its
/// session exits (a pwsh -Command that returns, `exit`), which ended the run's thread as it stood.
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    // systemd waits 90 s (TimeoutStopSec) before SIGKILL; a run lets go of its images well within this.
    private static readonly TimeSpan s_shutdownWait = TimeSpan.FromSeconds(10);

    private readonly List<PosixSignalRegistration> _registrations = [];
    // Set once a signal's handler has stopped the run and said so. The stopped run returns to the command on the main
    // thread, which would otherwise end the process normally (exit 0) before the handler returns and the runtime ends
    // it as the signal asks: Dispose waits for this.
    private readonly ManualResetEventSlim _handled = new(false);
    private readonly Action<string> _stop;
    private readonly object _gate = new();
    // Under _gate: a signal (or the process's end) is stopping the run, or the run is over. A SIGTERM is followed by
    // the process's end, and a run may end as a signal comes: the run is stopped at most once, and never once disposed.
    private bool _signalled;
    private bool _over;

    private TerminationSignals(Action<string> stop)
    {
        _stop = stop;
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGHUP })
        {
            try
            {
                _registrations.Add(PosixSignalRegistration.Create(signal, context => Stop(Name(context.Signal))));
            }
            catch (PlatformNotSupportedException)
            {
                // A platform without this signal cannot send it either.
            }
        }
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    private void OnProcessExit(object? sender, EventArgs e) => Stop("the end of its PowerShell session");

    private void Stop(string cause)
    {
        lock (_gate)
        {
            if (_over)
                return;
            _signalled = _over = true;
        }
        try
        {
            _stop(cause);
        }
        finally
        {
            _handled.Set();
        }
    }

    /// <summary>Stops <paramref name="run"/> before the process ends, for SIGTERM, SIGHUP or any other reason, until disposed.</summary>
    public static TerminationSignals Guard(UpscaleRun run) => new(signal =>
    {
        run.Cancel();
        run.WaitForShutdown(s_shutdownWait);
        try
        {
            Console.Error.WriteLine($"Swin2SR: job '{run.JobName}' was interrupted by {signal}: the images in flight went back to the job, and " +
                $"Resume-Swin2SRJob {run.JobNameArgument}{run.StoreArgument} continues it.");
            Console.Error.Flush();
        }
        catch (IOException)
        {
            // SIGHUP for a closed terminal: there is no stderr left to tell, and the job is already in order.
        }
    });

    private static string Name(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGTERM => "SIGTERM",
        PosixSignal.SIGHUP => "SIGHUP",
        _ => signal.ToString(),
    };

    public void Dispose()
    {
        bool signalled;
        lock (_gate)
        {
            signalled = _signalled;
            _over = true;
        }
        if (signalled)
            _handled.Wait(s_shutdownWait + TimeSpan.FromSeconds(5));
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        foreach (var registration in _registrations)
            registration.Dispose();
        // _handled stays undisposed: a signal that came as the registrations went may still set it.
    }
}
