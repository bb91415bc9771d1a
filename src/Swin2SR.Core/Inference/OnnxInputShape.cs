using System.Text;
using Swin2SR.Core.Inference.Float16.OnnxFormat;

namespace Swin2SR.Core.Inference;

/// <summary>
/// The dimensions of a model's image input, read from its graph without loading the model (<see cref="ProtoFields"/>):
/// the input ONNX Runtime lists first, the graph's first input that no initializer feeds (older exports list their
/// weights among the inputs too).
/// </summary>
internal static class OnnxInputShape
{
    // ModelProto.graph; GraphProto.initializer, .input; TensorProto.name.
    private const int ModelGraph = 7, GraphInitializer = 5, GraphInput = 11, TensorName = 8;

    // An input's name and type, a tensor's name: short; anything longer means the file is no ONNX model.
    private const long MaxBytes = 1 << 16;

    /// <summary>Each dimension's size, -1 for one that is free (dim_param, or none); null when the graph has no such input.</summary>
    /// <exception cref="InvalidDataException">The file is not an ONNX model.</exception>
    /// <exception cref="IOException">The file cannot be read, or an input is malformed (InvalidProtocolBufferException).</exception>
    public static long[]? Read(string modelPath)
    {
        using var file = new FileStream(modelPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        var fields = new ProtoFields(file);
        var inputs = new List<ValueInfoProto>();
        var initializers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (field, length) in fields.LengthDelimited(file.Length))
        {
            if (field != ModelGraph)
                continue;
            foreach (var (graphField, graphLength) in fields.LengthDelimited(file.Position + length))
            {
                if (graphField == GraphInput)
                    inputs.Add(ValueInfoProto.Parser.ParseFrom(fields.ReadSmall(graphLength, MaxBytes, "a graph input")));
                else if (graphField == GraphInitializer)
                    initializers.UnionWith(TensorNames(fields, file.Position + graphLength));
            }
        }
        return inputs.FirstOrDefault(input => !initializers.Contains(input.Name))?.Type?.TensorType?.Shape?.Dim
            .Select(d => d.HasDimValue && d.DimValue > 0 ? d.DimValue : -1)
            .ToArray();
    }

    private static List<string> TensorNames(ProtoFields fields, long end) =>
        fields.LengthDelimited(end).Where(f => f.Field == TensorName)
            .Select(f => Encoding.UTF8.GetString(fields.ReadSmall(f.Length, MaxBytes, "a tensor name")))
            .ToList();
}
