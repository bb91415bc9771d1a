using Swin2SR.Core.Inference.Float16.OnnxFormat;

namespace Swin2SR.Core.Inference;

/// <summary>
/// Reads an ONNX model's metadata_props without loading the model: only the top-level fields of its ModelProto are
/// walked, and the graph with its weights (nearly all of the file) is seeked over, so listing models stays cheap
/// however large they are. ONNX Runtime reads the same properties when it loads a model (<see cref="ModelContract"/>).
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
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        while (file.Position < file.Length)
        {
            ulong tag = ReadVarint(file);
            switch (tag & 7)
            {
                case 0:
                    ReadVarint(file);
                    break;
                case 1:
                    Skip(file, 8);
                    break;
                case 5:
                    Skip(file, 4);
                    break;
                case 2 when tag >> 3 == MetadataPropsField:
                    var entry = StringStringEntryProto.Parser.ParseFrom(ReadEntry(file, ReadVarint(file)));
                    metadata[entry.Key] = entry.Value;
                    break;
                case 2:
                    Skip(file, ReadVarint(file));
                    break;
                default:
                    throw NotOnnx(path, $"wire type {tag & 7} at byte {file.Position}");
            }
        }
        return metadata;
    }

    private static ulong ReadVarint(FileStream file)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            int b = file.ReadByte();
            if (b < 0)
                throw NotOnnx(file.Name, "it ends inside a field");
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }
        throw NotOnnx(file.Name, "a number longer than 10 bytes");
    }

    private static void Skip(FileStream file, ulong length)
    {
        if (length > (ulong)(file.Length - file.Position))
            throw NotOnnx(file.Name, "a field runs past its end");
        file.Seek((long)length, SeekOrigin.Current);
    }

    private static byte[] ReadEntry(FileStream file, ulong length)
    {
        if (length > MaxEntryBytes || length > (ulong)(file.Length - file.Position))
            throw NotOnnx(file.Name, $"a metadata entry of {length} bytes");
        var bytes = new byte[length];
        file.ReadExactly(bytes);
        return bytes;
    }

    private static InvalidDataException NotOnnx(string path, string why) => new($"'{path}' is not an ONNX model: {why}");
}
