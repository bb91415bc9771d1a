using System.Text.Json;
using System.Text.Json.Serialization;

namespace Swin2SR.Core.Quality;

/// <summary>
/// What the quality gate measured on one output; journaled as JSON with the item.
/// </summary>
/// <param name="ConsistencyPsnr">
/// PSNR (dB, 0-255 RGB) between the input and the output, both averaged over blocks of 4x4 input pixels (area
/// filter), in the region of about 64x64 input pixels where they differ most (<see cref="BlockConsistency"/>): a
/// faithful upscale keeps its input's block means everywhere; +Infinity when exactly; NaN when the output had
/// non-finite values.
/// </param>
/// <param name="NonFiniteValues">NaN or infinite values in the model's output (an fp16 overflow, a broken model).</param>
/// <param name="InputDeviation">Standard deviation of the input's luma (0-255): 0 for a flat image.</param>
/// <param name="OutputDeviation">The same for the output: near 0 with a textured input means a blank output.</param>
/// <param name="ContrastRatio">
/// The output's luma deviation over the input's, both averaged over blocks of 4x4 input pixels and smoothed over
/// about 8 (<see cref="ToneContrast"/>): about 1 for a faithful output, 0.5 for a washed-out or half-bright one; NaN
/// for an input too flat to tell (or holding only a pattern finer than that), or a NaN output.
/// </param>
/// <param name="ChromaRetention">
/// The share of the input's colour the output keeps, in its worst coloured region of about 64x64 input pixels
/// (<see cref="ChromaConsistency"/>): about 1 for a faithful output, 0 for a greyed one, negative for swapped hues; NaN
/// for an input too grey to tell, a NaN output, or a record journaled before the figure existed.
/// </param>
public sealed record QualityMetrics(double ConsistencyPsnr, long NonFiniteValues, double InputDeviation, double OutputDeviation, double ContrastRatio = double.NaN, double ChromaRetention = double.NaN)
{
    private static readonly JsonSerializerOptions s_json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    /// <summary>Null for null or unreadable text (metrics are informative; a bad row must not break a listing).</summary>
    public static QualityMetrics? FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
            return null;
        try
        {
            return JsonSerializer.Deserialize<QualityMetrics>(json, s_json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
