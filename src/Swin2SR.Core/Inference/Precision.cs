namespace Swin2SR.Core.Inference;

/// <summary>The arithmetic a model runs in. Fp16 is opt-in: faster on GPUs with tensor cores, and an image whose fp16 output fails the quality gate is redone in Fp32.</summary>
public enum Precision
{
    Fp32,
    Fp16,
}
