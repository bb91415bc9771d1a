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
                _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
            }
            catch (PlatformNotSupportedException)
            {
                // A platform without this signal cannot send it either.
            }
        }
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    private void OnProcessExit(object? sender, EventArgs e) => Stop("the end of its PowerShell session", exitCode: null);

    /// <summary>
    /// Ends the process itself, with the shell's code for the signal (128 + its number), once the run has stopped.
    /// Left to the runtime (the handler returning uncancelled), the end raced the main thread: the stopped run
    /// returned, Dispose saw the handler done, and PowerShell could end normally first, exit code 0 after a SIGHUP,
    /// which a scheduler records as a run that finished.
    /// </summary>
    private void OnSignal(PosixSignalContext context)
    {
        if (Stop(Name(context.Signal), exitCode: 128 + SignalNumber(context.Signal)))
            context.Cancel = true;
    }

    /// <summary>False when the run was over already (or another signal is stopping it): nothing was done.</summary>
    private bool Stop(string cause, int? exitCode)
    {
        lock (_gate)
        {
            if (_over)
                return false;
            _signalled = _over = true;
        }
        try
        {
            _stop(cause);
            // Before _handled is set, so Dispose keeps the main thread from ending the process first.
            if (exitCode is { } code)
                Environment.Exit(code);
        }
        finally
        {
            _handled.Set();
        }
        return true;
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

    // The same on Linux and macOS; PosixSignal's own values are not the numbers.
    private static int SignalNumber(PosixSignal signal) => signal == PosixSignal.SIGHUP ? 1 : 15;

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
