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

    private static readonly Lazy<OrtEnv> s_instance = new(Create);

    public static OrtEnv Instance => s_instance.Value;

    /// <summary>A session for <paramref name="path"/>, in this environment (a session made first would create the default one).</summary>
    public static InferenceSession Session(string path, SessionOptions options)
    {
        _ = Instance;
        return new InferenceSession(path, options);
    }

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
