using System.Runtime.InteropServices;
using Swin2SR.Core.Inference;
using OrtHalf = Microsoft.ML.OnnxRuntime.Float16;

namespace Swin2SR.Core.Tests.Inference;

/// <summary>
/// The float16 conversions at a half-precision model's input and output give the bits of .NET's (Half) and (float)
/// casts, which round to nearest even: outputs do not change with how the conversion is computed.
/// </summary>
public sealed class BoundaryTensorTests
{
    private static readonly Half[] EveryHalf = Enumerable.Range(0, 1 << 16).Select(i => BitConverter.UInt16BitsToHalf((ushort)i)).ToArray();

    [Fact]
    public void Every_half_becomes_the_float_a_cast_gives_NaN_payloads_and_subnormals_included()
    {
        var floats = new float[EveryHalf.Length];
        BoundaryTensor.ToFloats(MemoryMarshal.Cast<Half, OrtHalf>(EveryHalf), floats);

        for (int i = 0; i < EveryHalf.Length; i++)
            Assert.Equal(BitConverter.SingleToUInt32Bits((float)EveryHalf[i]), BitConverter.SingleToUInt32Bits(floats[i]));
    }

    [Fact]
    public void Floats_round_to_the_half_a_cast_gives_at_every_rounding_boundary()
    {
        // Each half as a float and just below, at and just above the midpoint to the next half (13 bits are dropped:
        // 0x1000 is the tie), the specials, and a sweep over every exponent.
        var floats = EveryHalf.Select(h => BitConverter.SingleToUInt32Bits((float)h))
            .SelectMany(bits => new uint[] { bits, bits + 0xFFF, bits + 0x1000, bits + 0x1001 })
            .Concat(Enumerable.Range(0, 1 << 16).Select(i => (uint)i * 65_537u))
            .Select(BitConverter.UInt32BitsToSingle)
            .Concat([float.NaN, float.PositiveInfinity, float.NegativeInfinity, 65_504f, 65_520f, 1e9f, -1e-9f, 0f, -0f])
            .ToArray();
        var halves = new OrtHalf[floats.Length];

        BoundaryTensor.ToHalves(floats, halves);

        for (int i = 0; i < floats.Length; i++)
            Assert.Equal(BitConverter.HalfToUInt16Bits((Half)floats[i]), halves[i].value);
    }
}
