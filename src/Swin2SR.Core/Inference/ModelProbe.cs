using Microsoft.ML.OnnxRuntime;

namespace Swin2SR.Core.Inference;

/// <summary>
/// Learns by running a model on one mid-grey square what neither its metadata nor its shapes say: its scale, and for
/// a model that states no window, a window its height and width must be multiples of (a scale it states is checked).
/// Exports from other tools than the module's carry no metadata, or only a scale, and a window partition without
/// padding of its own fails on any size that is not a multiple of the window: 16 for HAT, 7 for SwinIR's and
/// Swin2SR's JPEG artifact models, 8 for most. The grey also
/// shows an output in 0..255 (some exports end by multiplying by 255), which would fail every image at the quality
/// gate after computing it twice.
/// </summary>
internal static class ModelProbe
{
    /// <summary>The windows tried, in order, for a model that states none: the most common first, so that it runs once.</summary>
    internal static readonly int[] WindowCandidates = [ModelContract.DefaultWindow, 16, 12, 7, 24, 32];

    private const float Grey = 0.5f;

    // An output for mid-grey that averages above this is no 0..1 picture; a 0..255 one averages about 127.
    private const double MaxGreyMean = 1.5;

    /// <param name="windowStated">Whether the model's metadata states <paramref name="contract"/>'s window; when
    /// not, the window is the first candidate the model runs at.</param>
    public static ModelContract Complete(InferenceSession session, ModelContract contract, bool windowStated, string modelPath)
    {
        int[] sizes = contract.FixedSize is int fixedSize ? [fixedSize] : windowStated ? [contract.Window] : WindowCandidates;
        OnnxRuntimeException? firstFailure = null;
        foreach (int size in sizes)
        {
            try
            {
                int scale = ScaleAt(session, contract, size, modelPath);
                if (contract.Scale != 0 && scale != contract.Scale)
                    throw ModelContract.ScaleMismatch(modelPath, contract.Scale, scale);
                return contract.FixedSize is null ? contract with { Scale = scale, Window = size } : contract with { Scale = scale };
            }
            catch (OnnxRuntimeException e)
            {
                firstFailure ??= e;
            }
        }
        string tried = sizes.Length == 1 ? $"a {sizes[0]}x{sizes[0]} input"
            : $"inputs of {string.Join(", ", sizes.Select(s => $"{s}x{s}"))} (a window of any of these sizes; a model with another window states it in its metadata, 'window_size')";
        throw ModelContract.Invalid(modelPath, $"ONNX Runtime cannot run it on {tried}: {firstFailure!.Message.Trim()}", firstFailure);
    }

    /// <summary>Runs one mid-grey square of <paramref name="size"/> and divides the output size by the input size.</summary>
    private static int ScaleAt(InferenceSession session, ModelContract contract, int size, string modelPath)
    {
        int batch = contract.FixedBatch ?? 1, channels = contract.Channels;
        var data = new float[batch * channels * size * size];
        Array.Fill(data, Grey);
        using var input = BoundaryTensor.Input(data, [batch, channels, size, size], contract.HalfInput);
        using var options = new RunOptions();
        using var results = session.Run(options, [contract.InputName], [input.Value], [contract.OutputName]);
        var shape = results[0].GetTensorTypeAndShape().Shape;
        if (shape.Length != 4 || shape[1] != channels || shape[2] % size != 0 || shape[2] / size < 1 || shape[2] != shape[3])
            throw ModelContract.Invalid(modelPath, $"a [{batch},{channels},{size},{size}] input gave an output of shape [{string.Join(",", shape)}], not [{batch},{channels},{size}s,{size}s] for a whole scale s");
        double mean = Mean(BoundaryTensor.ReadFloats(results[0]));
        if (mean > MaxGreyMean)
            throw ModelContract.Invalid(modelPath, $"its output for a mid-grey input ({Grey}) averages {mean:0.#}: it gives values in 0..255, where 0..1 are expected (export it without its final multiplication by 255)");
        return (int)(shape[2] / size);
    }

    private static double Mean(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float value in values)
            sum += value;
        return values.Length == 0 ? 0 : sum / values.Length;
    }
}
