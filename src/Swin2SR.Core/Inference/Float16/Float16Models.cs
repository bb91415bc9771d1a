using Google.Protobuf;
using Swin2SR.Core.Inference.Devices;

namespace Swin2SR.Core.Inference.Float16;

/// <summary>
/// The half-precision variant of a model file, made by <see cref="Float16Converter"/> once and kept with the
/// optimized graphs (or in the temporary folder when there is no cache), so later starts load it directly.
/// </summary>
internal static class Float16Models
{
    /// <summary>The path of the fp16 variant of <paramref name="modelPath"/>, written first if needed.</summary>
    /// <exception cref="NotSupportedException">The model cannot be rewritten; the message says why.</exception>
    public static string Prepare(string modelPath, OptimizedGraphCache? cache)
    {
        var store = cache ?? new OptimizedGraphCache(Path.Combine(Path.GetTempPath(), "Swin2SR"));
        try
        {
            return store.Derive(modelPath, "fp16", () => Float16Converter.Convert(File.ReadAllBytes(modelPath)));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new NotSupportedException($"it could not be read as an ONNX model ({e.Message})", e);
        }
    }
}
