using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Swin2SR.Core.Inference;

/// <summary>
/// What a super-resolution model expects, read from the model itself: the public Swin2SR exports take
/// <c>pixel_values</c> [B,3,H,W] float32 in [0,1] and return <c>reconstruction</c> [B,3,sH,sW]; other
/// exports name them differently, fix H and W, state the scale only by their output, take and give float16
/// (<paramref name="HalfInput"/>, <paramref name="HalfOutput"/>: converted at the boundary, <see cref="BoundaryTensor"/>),
/// or one channel (<paramref name="Channels"/> 1: a luma or grayscale model, run on the luma, <see cref="LumaTiles"/>).
/// </summary>
public sealed record ModelContract(string InputName, string OutputName, int Scale, int Window, int? FixedSize, int? FixedBatch,
    bool HalfInput = false, bool HalfOutput = false, int Channels = 3)
{
    public const int DefaultWindow = 8;

    /// <summary>
    /// A model converted to fp16 without keep_io_types (onnxconverter-common's keep_io_types=False, a common way to
    /// halve a model) takes or gives float16: it computes in half whatever -Precision asks, and has no float32
    /// version to redo an image in.
    /// </summary>
    public bool ComputesInHalf => HalfInput || HalfOutput;

    public static ModelContract Read(InferenceSession session, string modelPath)
    {
        var (inputName, input, outputName, output) = ImageTensors.Find(session, modelPath);

        var metadata = session.ModelMetadata.CustomMetadataMap;
        int? statedWindow = ReadPositiveInt(metadata, "window_size");
        int? fixedSize = FixedSpatialSize(input.Dimensions, modelPath);
        int? fixedBatch = input.Dimensions[0] > 0 ? input.Dimensions[0] : null;
        int? stated = ScaleFrom(metadata);
        int? shaped = ScaleFromShapes(input.Dimensions, output.Dimensions);
        if (stated is int claimed && shaped is int actual && claimed != actual)
            throw ScaleMismatch(modelPath, claimed, actual);
        var contract = new ModelContract(inputName, outputName, stated ?? shaped ?? 0, statedWindow ?? DefaultWindow, fixedSize, fixedBatch,
            HalfInput: input.ElementDataType == TensorElementType.Float16, HalfOutput: output.ElementDataType == TensorElementType.Float16,
            Channels: input.Dimensions[1] == 1 ? 1 : 3);
        // A model that states its scale and window is not run here: the first shape a session runs is the only one
        // ONNX Runtime plans memory for, and it should be a tile's. A wrong scale shows at the first tile (TileModel.Run).
        // One that states no window (and has no fixed size, which sets the tiles) has to run to find it, as a model
        // stating nothing has to for its scale: else an image of no multiple of its window fails at its first tile.
        bool probe = contract.Scale == 0 || (statedWindow is null && fixedSize is null);
        return probe ? ModelProbe.Complete(session, contract, windowStated: statedWindow is not null, modelPath) : contract;
    }

    /// <summary>
    /// Why a batch size asked for (-BatchSize; 0: automatic) is not used: a model exported with a fixed batch runs
    /// every batch at that size. Null when it is used, or none was asked for.
    /// </summary>
    public string? UnusedBatchSize(int requested) =>
        FixedBatch is int batch && requested > 0 && requested != batch
            ? $"-BatchSize {requested} is not used: the model was exported with a fixed batch of {batch} tile{(batch == 1 ? "" : "s")}, which every batch has"
            : null;

    /// <summary>A model whose "scale" metadata entry says otherwise than what its graph computes.</summary>
    internal static ModelLoadException ScaleMismatch(string modelPath, int stated, int actual, Exception? inner = null) =>
        new(modelPath, $"not a usable super-resolution model: its metadata states scale {stated}, but it upscales x{actual}; correct or remove its 'scale' metadata entry", inner);

    /// <summary>
    /// The scale a model file's metadata states, read without loading the model; null when it states none, or the file
    /// is no model (loading it says why).
    /// </summary>
    public static int? StatedScale(string modelPath) => Stated(modelPath, ScaleFrom);

    /// <summary>
    /// The window a model file's metadata states (key "window_size"), read without loading the model; null when it
    /// states none (loading it finds the window then), or the file is no model.
    /// </summary>
    public static int? StatedWindow(string modelPath) => Stated(modelPath, metadata => ReadPositiveInt(metadata, "window_size"));

    /// <summary>
    /// The input size a model file's graph fixes (its image input's height and width, equal), read without loading
    /// the model: the tile size every run of it uses. Null when they are free, not square (loading it says why), or
    /// the file is no model.
    /// </summary>
    public static int? StatedFixedSize(string modelPath)
    {
        try
        {
            return OnnxInputShape.Read(modelPath) is [_, _, long height, long width] && height > 0 && height == width && height <= int.MaxValue
                ? (int)height : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return null;
        }
    }

    private static int? Stated(string modelPath, Func<IReadOnlyDictionary<string, string>, int?> read)
    {
        try
        {
            return read(OnnxMetadata.Read(modelPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>The scale a model's metadata states (key "scale"), if it states a usable one.</summary>
    internal static int? ScaleFrom(IReadOnlyDictionary<string, string> metadata) => ReadPositiveInt(metadata, "scale");

    private static int? FixedSpatialSize(int[] dims, string modelPath)
    {
        if (dims[2] <= 0 && dims[3] <= 0)
            return null;
        if (dims[2] != dims[3])
            throw Invalid(modelPath, $"its fixed input size {dims[3]}x{dims[2]} is not square; square tiles are required");
        return dims[2];
    }

    private static int? ScaleFromShapes(int[] input, int[] output) =>
        input[2] > 0 && output[2] > 0 && output[2] % input[2] == 0 ? output[2] / input[2] : null;

    private static int? ReadPositiveInt(IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out var text) && int.TryParse(text, out int value) && value > 0 ? value : null;

    internal static ModelLoadException Invalid(string path, string reason, Exception? inner = null) =>
        new(path, $"not a usable super-resolution model: {reason}", inner);
}
