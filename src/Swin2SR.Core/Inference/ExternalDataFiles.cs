using System.Globalization;
using Swin2SR.Core.Inference.Float16.OnnxFormat;

namespace Swin2SR.Core.Inference;

/// <summary>A file that holds some of a model's weights (ONNX external data), and how many of its bytes the graph reads.</summary>
/// <param name="Location">The name the graph gives it, relative to the model's folder.</param>
/// <param name="RequiredBytes">The end of the last range a tensor reads from it (offset + length): a shorter file is cut short.</param>
public sealed record ExternalDataFile(string Location, long RequiredBytes);

/// <summary>
/// The files beside a model that hold its weights: models over 2 GB, and those exported with external data, keep
/// their tensors in files the graph names in each tensor's external_data <c>location</c> (often
/// <c>model.onnx.data</c>). Read from the graph's tensors without loading them (<see cref="ProtoFields"/>):
/// initializers, sparse initializers, and the tensors of node attributes (Constant nodes), subgraphs included.
/// </summary>
public static class ExternalDataFiles
{
    // ModelProto.graph; GraphProto.node, .initializer, .sparse_initializer; NodeProto.attribute; AttributeProto.t,
    // .g, .tensors, .graphs, .sparse_tensor, .sparse_tensors; SparseTensorProto.values, .indices; TensorProto.external_data.
    private const int ModelGraph = 7;
    private const int GraphNode = 1, GraphInitializer = 5, GraphSparseInitializer = 15;
    private const int NodeAttribute = 5;
    private const int AttributeTensor = 5, AttributeGraph = 6, AttributeTensors = 10, AttributeGraphs = 11, AttributeSparseTensor = 22, AttributeSparseTensors = 23;
    private const int SparseValues = 1, SparseIndices = 2;
    private const int TensorExternalData = 13;
    private const long MaxEntryBytes = 1 << 16;

    /// <summary>The files <paramref name="modelPath"/>'s graph names, each once; none for a model that keeps its weights inside.</summary>
    /// <exception cref="InvalidDataException">The file is not an ONNX model.</exception>
    /// <exception cref="RefusedLocationException">A location is no file name inside the model's folder.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IReadOnlyList<ExternalDataFile> Read(string modelPath)
    {
        using var file = new FileStream(modelPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        var fields = new ProtoFields(file);
        var required = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (field, length) in fields.LengthDelimited(file.Length))
        {
            if (field == ModelGraph)
                WalkGraph(fields, file.Position + length, required);
        }
        return required.Select(r => new ExternalDataFile(r.Key, r.Value)).OrderBy(f => f.Location, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Why <paramref name="location"/> cannot be a weights file of a model: anything but a file name in the
    /// model's own folder. A model file is data anyone may publish, and a location such as <c>../../.ssh/id_rsa</c>
    /// or an absolute path would have the installer write, or a run read, a file outside the model folder.
    /// Null when it is a plain file name.
    /// </summary>
    public static string? Refusal(string location)
    {
        if (location.Length == 0)
            return "an empty file name";
        if (location is "." or ".." || location.IndexOfAny(['/', '\\', ':']) >= 0 || Path.IsPathRooted(location)
            || location.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            return $"'{location}', which is not a file name in the model's own folder (a path out of it, or into a subfolder, is refused)";
        return null;
    }

    /// <summary>
    /// Why the weights files of <paramref name="modelPath"/> cannot be loaded: the first one missing or shorter than
    /// the graph reads, named; null when all are there (or the model has none).
    /// </summary>
    public static string? Problem(string modelPath)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(modelPath))!;
        IReadOnlyList<ExternalDataFile> named;
        try
        {
            named = Read(modelPath);
        }
        catch (RefusedLocationException e)
        {
            return e.Message;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return null; // no ONNX model, or unreadable: ONNX Runtime's load says so, as for any model
        }
        foreach (var data in named)
        {
            var file = new FileInfo(Path.Combine(folder, data.Location));
            if (!file.Exists)
                return $"its weights file '{data.Location}' is missing: the graph keeps its weights there, beside the model ({file.FullName})";
            if (file.Length < data.RequiredBytes)
                return $"its weights file '{data.Location}' has {file.Length:N0} bytes, but the graph reads up to byte {data.RequiredBytes:N0}: it was cut short or is another model's";
        }
        return null;
    }

    private static void WalkGraph(ProtoFields fields, long end, Dictionary<string, long> required)
    {
        foreach (var (field, length) in fields.LengthDelimited(end))
        {
            long fieldEnd = fields.File.Position + length;
            switch (field)
            {
                case GraphNode:
                    foreach (var (attributeField, attributeLength) in fields.LengthDelimited(fieldEnd))
                    {
                        if (attributeField == NodeAttribute)
                            WalkAttribute(fields, fields.File.Position + attributeLength, required);
                    }
                    break;
                case GraphInitializer:
                    WalkTensor(fields, fieldEnd, required);
                    break;
                case GraphSparseInitializer:
                    WalkSparse(fields, fieldEnd, required);
                    break;
            }
        }
    }

    private static void WalkAttribute(ProtoFields fields, long end, Dictionary<string, long> required)
    {
        foreach (var (field, length) in fields.LengthDelimited(end))
        {
            long fieldEnd = fields.File.Position + length;
            switch (field)
            {
                case AttributeTensor or AttributeTensors:
                    WalkTensor(fields, fieldEnd, required);
                    break;
                case AttributeGraph or AttributeGraphs:
                    WalkGraph(fields, fieldEnd, required);
                    break;
                case AttributeSparseTensor or AttributeSparseTensors:
                    WalkSparse(fields, fieldEnd, required);
                    break;
            }
        }
    }

    private static void WalkSparse(ProtoFields fields, long end, Dictionary<string, long> required)
    {
        foreach (var (field, length) in fields.LengthDelimited(end))
        {
            if (field is SparseValues or SparseIndices)
                WalkTensor(fields, fields.File.Position + length, required);
        }
    }

    private static void WalkTensor(ProtoFields fields, long end, Dictionary<string, long> required)
    {
        string? location = null;
        long offset = 0, length = 0;
        foreach (var (field, entryLength) in fields.LengthDelimited(end))
        {
            if (field != TensorExternalData)
                continue;
            var entry = StringStringEntryProto.Parser.ParseFrom(fields.ReadSmall(entryLength, MaxEntryBytes, "an external_data entry"));
            switch (entry.Key)
            {
                case "location":
                    location = entry.Value;
                    break;
                case "offset":
                    offset = ParseCount(fields, entry);
                    break;
                case "length":
                    length = ParseCount(fields, entry);
                    break;
            }
        }
        if (location is null)
            return;
        if (Refusal(location) is { } refusal)
            throw new RefusedLocationException($"its graph names {refusal} for its weights");
        required[location] = Math.Max(required.GetValueOrDefault(location), offset + length);
    }

    private static long ParseCount(ProtoFields fields, StringStringEntryProto entry) =>
        long.TryParse(entry.Value, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value <= long.MaxValue / 2 ? value
            : throw fields.NotOnnx($"external_data {entry.Key} '{entry.Value}' is no byte count");
}

/// <summary>A model's graph names a weights file outside the model's folder (<see cref="ExternalDataFiles.Refusal"/>).</summary>
public sealed class RefusedLocationException(string message) : Exception(message);
