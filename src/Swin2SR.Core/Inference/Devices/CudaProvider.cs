using System.Globalization;
using Microsoft.ML.OnnxRuntime;

namespace Swin2SR.Core.Inference.Devices;

/// <summary>
/// ONNX Runtime's CUDA execution provider: whether it loads here (and if not, which libraries are missing), and
/// the session options of a CUDA session.
/// </summary>
public static class CudaProvider
{
    /// <summary>The provider options of a session on <paramref name="deviceId"/> (keys of OrtCUDAProviderOptions).</summary>
    public static Dictionary<string, string> ProviderOptions(int deviceId, CudaSettings settings)
    {
        var options = new Dictionary<string, string>
        {
            ["device_id"] = deviceId.ToString(CultureInfo.InvariantCulture),
            // Tiles come in a few fixed shapes: the slowest search, done once per shape, finds the fastest kernels.
            ["cudnn_conv_algo_search"] = "EXHAUSTIVE",
            // fp32 models on Ampere and later: TF32 tensor cores, within the quality checks' tolerance.
            ["use_tf32"] = "1",
            // Batches are sized from free memory: the arena should hold what was asked, not the next power of two.
            ["arena_extend_strategy"] = "kSameAsRequested",
            ["do_copy_in_default_stream"] = "1",
        };
        if (settings.MemoryLimitBytes is long limit)
            options["gpu_mem_limit"] = limit.ToString(CultureInfo.InvariantCulture);
        return options;
    }

    /// <summary>Session options for one session on <paramref name="deviceId"/>; the caller disposes them.</summary>
    /// <exception cref="DeviceUnavailableException">The provider cannot load: the message says which library is missing.</exception>
    public static SessionOptions CreateSessionOptions(int deviceId, CudaSettings settings)
    {
        var session = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            // The GPU computes; CPU threads would only spin beside it.
            IntraOpNumThreads = 1,
            LogSeverityLevel = TileModel.SessionLogLevel,
        };
        try
        {
            using var cuda = new OrtCUDAProviderOptions();
            cuda.UpdateOptions(ProviderOptions(deviceId, settings));
            session.AppendExecutionProvider_CUDA(cuda);
            return session;
        }
        catch (OnnxRuntimeException e)
        {
            session.Dispose();
            throw new DeviceUnavailableException($"cuda:{deviceId}", Unavailable(e.Message), e);
        }
    }

    /// <summary>Null when the provider loads and its libraries are there; otherwise why not, for a warning or an error.</summary>
    public static string? Check()
    {
        try
        {
            CreateSessionOptions(0, CudaSettings.Default).Dispose();
        }
        catch (DeviceUnavailableException e)
        {
            return e.Reason;
        }
        // cuDNN is opened only when a session first needs it: a provider that loads can still lack it.
        var missing = CudaLibraries.Missing();
        return missing.Count == 0 ? null : "the CUDA execution provider loads, but " + CudaLibraries.Explain(missing);
    }

    private static string Unavailable(string onnxRuntimeMessage)
    {
        if (!ExecutionProviders.Available().Contains(ExecutionProviders.Cuda))
            return $"this ONNX Runtime has no CUDA execution provider (it offers {string.Join(", ", ExecutionProviders.Available())})";
        var missing = CudaLibraries.Missing();
        string explanation = missing.Count > 0 ? CudaLibraries.Explain(missing) + " " : "";
        return $"the CUDA execution provider cannot be loaded. {explanation}(ONNX Runtime: {onnxRuntimeMessage.Trim()})";
    }
}
