using System.Text.RegularExpressions;

namespace Swin2SR.Core.Inference;

/// <summary>
/// The operator ONNX Runtime names when it refuses a model for one it has no kernel for: an operator it does not know
/// (a contrib op of a newer runtime: "com.microsoft:X(-1) is not a registered function/op"; in the standard domain
/// "No Op registered for X with domain_version of 17"), or one it knows but not
/// for these types on this device ("Could not find an implementation for ConvInteger(10) node with name '...'", as
/// transformers.js saw int8 ConvInteger refused by onnxruntime-web).
/// </summary>
internal static partial class UnsupportedOperator
{
    /// <summary>The operator (domain:name where the message gives one, with its opset version where known); null when the message is about something else.</summary>
    public static string? Find(string onnxRuntimeMessage) =>
        new[] { Unregistered(), NoOpRegistered(), NoKernel() }.Select(pattern => pattern.Match(onnxRuntimeMessage)).FirstOrDefault(m => m.Success) is { } match
            ? Named(match) : null;

    private static string Named(Match match) =>
        match.Groups["version"].Value is "-1" or "" ? match.Groups["op"].Value : $"{match.Groups["op"].Value} (opset {match.Groups["version"].Value})";

    /// <summary>The reason a model is refused for <paramref name="op"/>, to follow "Model 'path': ".</summary>
    public static string Reason(string op, string device, string onnxRuntimeMessage) =>
        $"it uses the operator {op}, which ONNX Runtime {Devices.ExecutionProviders.OnnxRuntimeVersion} cannot run on {device} ({onnxRuntimeMessage})";

    public const string Recommendation =
        "Use another export of the model: float32 (model.onnx), float16 (model_fp16.onnx) and int8 dynamically quantized "
        + "(model_quantized.onnx, model_uint8.onnx, model_int8.onnx) exports use only operators this ONNX Runtime runs.";

    [GeneratedRegex(@"(?<op>[\w.]+:[\w.]+|\w+)(\((?<version>-?\d+)\))? is not a registered function/op")]
    private static partial Regex Unregistered();

    [GeneratedRegex(@"No Op registered for (?<op>[\w.]+) with domain_version of (?<version>\d+)")]
    private static partial Regex NoOpRegistered();

    [GeneratedRegex(@"Could not find an implementation for (?<op>[\w.]+)\((?<version>\d+)\) node")]
    private static partial Regex NoKernel();
}
