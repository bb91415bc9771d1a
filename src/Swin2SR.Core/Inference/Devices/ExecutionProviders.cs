namespace Swin2SR.Core.Inference.Devices;

/// <summary>The execution providers this ONNX Runtime build offers (built in; offered does not mean loadable).</summary>
public static class ExecutionProviders
{
    public const string Cpu = "CPUExecutionProvider";
    public const string Cuda = "CUDAExecutionProvider";

    public static IReadOnlyList<string> Available() => OnnxEnvironment.Instance.GetAvailableProviders();

    /// <summary>The ONNX Runtime version, e.g. "1.31.0".</summary>
    public static string OnnxRuntimeVersion => OnnxEnvironment.Instance.GetVersionString();
}
