using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OrtHalf = Microsoft.ML.OnnxRuntime.Float16;

namespace Swin2SR.Core.Inference;

/// <summary>
/// A tensor that a run feeds a model or that the model fills, over the engine's float32 pixels: the pixels themselves
/// for a float32 input or output, else a float16 copy (a model converted to fp16 without keep_io_types takes and gives
/// halves), converted here at the boundary, so that tiling, stitching and the quality gate see float32 whatever the
/// model's type. A half NaN or infinity stays one in float32: the quality gate still sees an fp16 overflow.
/// </summary>
internal sealed class BoundaryTensor : IDisposable
{
    private readonly Memory<float> _pixels;
    private readonly OrtHalf[]? _halves;

    private BoundaryTensor(Memory<float> pixels, long[] shape, bool half)
    {
        _pixels = pixels;
        if (!half)
        {
            Value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, pixels, shape);
            return;
        }
        // Rented: a batch's halves are megabytes, needed for one run.
        _halves = ArrayPool<OrtHalf>.Shared.Rent(pixels.Length);
        Value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _halves.AsMemory(0, pixels.Length), shape);
    }

    public OrtValue Value { get; }

    /// <summary>The input tensor of <paramref name="shape"/> holding <paramref name="pixels"/>, in halves when <paramref name="half"/>.</summary>
    public static BoundaryTensor Input(Memory<float> pixels, long[] shape, bool half)
    {
        var tensor = new BoundaryTensor(pixels, shape, half);
        if (tensor._halves is { } halves)
            ToHalves(pixels.Span, halves);
        return tensor;
    }

    /// <summary>An output tensor of <paramref name="shape"/> for a run to fill; <see cref="CopyOut"/> puts it in <paramref name="pixels"/>.</summary>
    public static BoundaryTensor Output(Memory<float> pixels, long[] shape, bool half) => new(pixels, shape, half);

    /// <summary>After the run: the halves the model wrote, as float32, into the pixels (a float32 output is there already).</summary>
    public void CopyOut()
    {
        if (_halves is not null)
            ToFloats(_halves.AsSpan(0, _pixels.Length), _pixels.Span);
    }

    /// <summary>A tensor ONNX Runtime allocated (a probe's output), float32 or float16, as float32.</summary>
    public static float[] ReadFloats(OrtValue value)
    {
        if (value.GetTensorTypeAndShape().ElementDataType != TensorElementType.Float16)
            return value.GetTensorDataAsSpan<float>().ToArray();
        var halves = value.GetTensorDataAsSpan<OrtHalf>();
        var floats = new float[halves.Length];
        ToFloats(halves, floats);
        return floats;
    }

    // ONNX Runtime's Float16 (OrtHalf) holds the same 16 bits as .NET's Half. TensorPrimitives converts many values
    // per instruction where the CPU can (F16C, AVX-512) and rounds to nearest even as the (Half) cast does: the same
    // bits (BoundaryTensorTests), 9-20x faster than one cast at a time (docs/benchmarks.md, "float16 at the boundary").
    internal static void ToHalves(ReadOnlySpan<float> floats, Span<OrtHalf> into) =>
        TensorPrimitives.ConvertToHalf(floats, MemoryMarshal.Cast<OrtHalf, Half>(into));

    internal static void ToFloats(ReadOnlySpan<OrtHalf> from, Span<float> floats) =>
        TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<OrtHalf, Half>(from), floats);

    public void Dispose()
    {
        Value.Dispose();
        if (_halves is not null)
            ArrayPool<OrtHalf>.Shared.Return(_halves);
    }
}
