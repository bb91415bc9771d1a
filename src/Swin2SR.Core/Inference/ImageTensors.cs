using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Swin2SR.Core.Inference;

/// <summary>
/// Checks that a model's input and output are image tensors the engine can feed and read: float32 or float16
/// (converted at the boundary, <see cref="BoundaryTensor"/>), channels first, three channels in and out, or one (a
/// luma model, run on the luma: <see cref="LumaTiles"/>). A model that is not says what it has instead, so that a
/// user who brought a channels-last or non-image model learns which of these it is.
/// </summary>
internal static class ImageTensors
{
    /// <returns>The names and metadata of the image input and of the first output.</returns>
    /// <exception cref="ModelLoadException">The model's input or output cannot carry images as the engine holds them.</exception>
    public static (string InputName, NodeMetadata Input, string OutputName, NodeMetadata Output) Find(InferenceSession session, string modelPath)
    {
        if (session.InputMetadata.Count != 1 || session.OutputMetadata.Count < 1)
            throw ModelContract.Invalid(modelPath, $"it has {session.InputMetadata.Count} inputs and {session.OutputMetadata.Count} outputs; one image input and one image output are expected");
        var (inputName, input) = session.InputMetadata.First();
        var (outputName, output) = session.OutputMetadata.First();
        string has = $"its input '{inputName}' is {Describe(input)} and its output '{outputName}' {Describe(output)}";
        if (!IsFloat(input) || !IsFloat(output) || input.Dimensions.Length != 4 || output.Dimensions.Length != 4)
            throw ModelContract.Invalid(modelPath, $"{has}; a float32 or float16 input [B,3,H,W] and output [B,3,sH,sW] are expected");
        if (input.Dimensions[3] is 1 or 3 && input.Dimensions[1] != input.Dimensions[3])
            throw ModelContract.Invalid(modelPath, $"{has}, channels last (NHWC); channels first [B,3,H,W] (NCHW) is expected");
        if (input.Dimensions[1] is not (1 or 3 or -1))
            throw ModelContract.Invalid(modelPath, $"{has}: {input.Dimensions[1]} channels in, where 3 (RGB) or 1 (luma) are expected");
        // A dynamic channel count is taken for RGB; a model's output has as many channels as its input.
        int channels = input.Dimensions[1] == 1 ? 1 : 3;
        if (output.Dimensions[1] is not -1 && output.Dimensions[1] != channels)
            throw ModelContract.Invalid(modelPath, $"{has}: {output.Dimensions[1]} channels out, where {channels} (as in) are expected");
        return (inputName, input, outputName, output);
    }

    private static bool IsFloat(NodeMetadata value) =>
        value.IsTensor && value.ElementDataType is TensorElementType.Float or TensorElementType.Float16;

    /// <summary>"float16 [batch,3,height,width]": the element type and the shape, a dynamic dimension by its name or as '?'.</summary>
    private static string Describe(NodeMetadata value)
    {
        if (!value.IsTensor)
            return $"a {value.OnnxValueType} (not a tensor)";
        string type = value.ElementDataType switch
        {
            TensorElementType.Float => "float32",
            TensorElementType.Float16 => "float16",
            TensorElementType.Double => "float64",
            var other => other.ToString().ToLowerInvariant(),
        };
        var dims = value.Dimensions.Select((d, i) => d >= 0 ? d.ToString()
            : i < value.SymbolicDimensions.Length && value.SymbolicDimensions[i].Length > 0 ? value.SymbolicDimensions[i] : "?");
        return $"{type} [{string.Join(",", dims)}]";
    }
}
