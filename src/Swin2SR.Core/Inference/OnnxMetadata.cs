using Swin2SR.Core.Inference.Float16.OnnxFormat;

namespace Swin2SR.Core.Inference;

/// <summary>
/// Reads an ONNX model's metadata_props without loading the model: only the top-level fields of its ModelProto are
/// walked (<see cref="ProtoFields"/>), and the graph with its weights is seeked over. ONNX Runtime reads the same
/// properties when it loads a model (<see cref="ModelContract"/>).
/// </summary>
internal static class OnnxMetadata
{
    private const int MetadataPropsField = 14; // ModelProto.metadata_props

    // A key and a value are short texts; a longer "entry" means the file is no ONNX model, and is not read into memory.
    private const long MaxEntryBytes = 1 << 20;

    /// <summary>The model's metadata as key/value pairs (the last one wins for a repeated key).</summary>
    /// <exception cref="InvalidDataException">The file is not an ONNX model, or is cut short.</exception>
    /// <exception cref="IOException">The file cannot be read, or a metadata entry is malformed (InvalidProtocolBufferException).</exception>
    public static IReadOnlyDictionary<string, string> Read(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var fields = new ProtoFields(file);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, length) in fields.LengthDelimited(file.Length))
        {
            if (field != MetadataPropsField)
                continue;
            var entry = StringStringEntryProto.Parser.ParseFrom(fields.ReadSmall(length, MaxEntryBytes, "a metadata entry"));
            metadata[entry.Key] = entry.Value;
        }
        return metadata;
    }
}
