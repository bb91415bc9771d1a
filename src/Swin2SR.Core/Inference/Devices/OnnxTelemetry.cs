using Microsoft.ML.OnnxRuntime;

namespace Swin2SR.Core.Inference.Devices;

/// <summary>
/// ONNX Runtime's telemetry, off unless the user allows it. Its Linux and macOS builds (1.31, which this module ships) keep a device
/// identifier and an event cache under ~/.cache/Microsoft/DeveloperTools/.onnxruntime and upload usage events; its
/// Windows builds write them to the system's event tracing. A tool that runs unattended over a shop's or an archive's
/// images should not report on that work unasked. ORT_DISABLE_TELEMETRY is ONNX Runtime's own switch, read once,
/// when its environment is created: a value the user gave is passed on as it is (0 allows telemetry), including one
/// set in PowerShell with $env:, which on Linux native code would not see.
/// </summary>
internal static class OnnxTelemetry
{
    public const string VariableName = "ORT_DISABLE_TELEMETRY";

    /// <summary>Before the environment is created: what ONNX Runtime will read.</summary>
    /// <returns>Whether telemetry is to be off.</returns>
    public static bool Prepare()
    {
        // .NET's view: the process's environment and what PowerShell set since.
        string value = Environment.GetEnvironmentVariable(VariableName) ?? "1";
        NativeEnvironment.Set(VariableName, value);
        return value.Trim() != "0";
    }

    /// <summary>On Windows the variable is not read: the environment's switch turns event tracing off.</summary>
    public static void Apply(OrtEnv environment, bool off)
    {
        if (off && OperatingSystem.IsWindows())
            environment.DisableTelemetryEvents();
    }
}
