using Microsoft.ML.OnnxRuntime;

namespace Swin2SR.Core.Inference.Devices;

/// <summary>
/// The process's ONNX Runtime environment, made to log errors only, with telemetry off unless the user allows it
/// (<see cref="OnnxTelemetry"/>). At ONNX Runtime's default level, warnings, with telemetry on, it writes to stderr,
/// in colour, that it failed to persist its telemetry device ID whenever the account cannot write
/// its home folder (a service account whose home is /nonexistent, a sandboxed unit): a line in the log of every
/// scheduled run, which PowerShell's redirections cannot catch as it comes from the native library. Sessions log at
/// their own level (<see cref="TileModel.SessionLogLevel"/>). Every use of the environment and every session is made
/// through here, so the first one creates it with this level.
/// </summary>
internal static class OnnxEnvironment
{
    internal const OrtLoggingLevel LogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;

    private static readonly Lazy<OrtEnv> s_instance = new(() => Loading(Create));

    public static OrtEnv Instance => s_instance.Value;

    /// <summary>A session for <paramref name="path"/>, in this environment (a session made first would create the default one).</summary>
    public static InferenceSession Session(string path, SessionOptions options)
    {
        _ = Instance;
        return new InferenceSession(path, options);
    }

    // The binding's class of P/Invokes, whose type initializer loads the library and checks its API version.
    private const string NativeMethodsType = "Microsoft.ML.OnnxRuntime.NativeMethods";

    /// <summary>
    /// Runs <paramref name="use"/> of ONNX Runtime's binding, a first one included: the binding loads its native library
    /// in a type initializer, whose exception names no cause ("The type initializer for NativeMethods threw").
    /// </summary>
    /// <exception cref="DeviceUnavailableException">The native library cannot be loaded; the message says why and what to install.</exception>
    internal static T Loading<T>(Func<T> use)
    {
        try
        {
            return use();
        }
        catch (TypeInitializationException e) when (e.TypeName == NativeMethodsType
            && e.InnerException is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or InvalidOperationException)
        {
            throw NativeLibraryUnavailable(e.InnerException);
        }
    }

    /// <summary>
    /// Why the native library did not load, with the likely fixes: on Windows ONNX Runtime links the Visual C++ runtime
    /// (MSVCP140.dll, VCRUNTIME140_1.dll), which a new Windows Server may lack, and Windows reports a missing dependency as
    /// the library itself not found; a module folder staged for another platform has no library for this one.
    /// </summary>
    private static DeviceUnavailableException NativeLibraryUnavailable(Exception cause) =>
        new("ONNX Runtime", $"its native library cannot be loaded ({cause.Message}). On Windows it needs the Microsoft Visual C++ "
            + "Redistributable for Visual Studio 2015-2022 (x64, vc_redist.x64.exe), which a new Windows Server may lack; a module "
            + "folder staged for another platform (./build.ps1 build -Runtime) has no library for this one.", cause);

    private static OrtEnv Create()
    {
        bool telemetryOff = OnnxTelemetry.Prepare();
        // Before any CUDA session: CUDA reads the order when it starts.
        CudaDeviceOrder.MatchDriver();
        OrtEnv environment;
        // Another library of the process (or a test) may have made the environment already: its level is lowered then,
        // too late for what its creation logged, in time for what comes after.
        if (OrtEnv.IsCreated)
        {
            environment = OrtEnv.Instance();
            environment.EnvLogLevel = LogLevel;
        }
        else
        {
            var options = new EnvironmentCreationOptions { logLevel = LogLevel };
            environment = OrtEnv.CreateInstanceWithOptions(ref options);
        }
        OnnxTelemetry.Apply(environment, telemetryOff);
        return environment;
    }
}
