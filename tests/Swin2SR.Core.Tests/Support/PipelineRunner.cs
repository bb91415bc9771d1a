using Swin2SR.Core.Imaging;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Pipeline;

namespace Swin2SR.Core.Tests.Support;

/// <summary>Runs the real pipeline (real files, a real ONNX Runtime session) and collects every result.</summary>
internal static class PipelineRunner
{
    public static List<UpscaleResult> Run(string modelPath, IEnumerable<string> inputs, string outputDirectory, UpscaleOptions options, OutputFormat format = OutputFormat.Png)
    {
        using var model = TileModel.LoadCpu(modelPath, cores: 1);
        return Run([model], inputs, outputDirectory, options, out _, format);
    }

    /// <summary>Runs on the given devices; <paramref name="notes"/> gets what the scheduler adapted (warnings, then details).</summary>
    public static List<UpscaleResult> Run(IReadOnlyList<ITileRunner> devices, IEnumerable<string> inputs, string outputDirectory, UpscaleOptions options,
        out List<string> notes, OutputFormat format = OutputFormat.Png)
    {
        var items = OutputPlanner.Plan(inputs, outputDirectory, format);
        var pipeline = UpscalePipeline.Start(devices, items, options, CancellationToken.None);
        var results = new List<UpscaleResult>();
        var reader = pipeline.Results;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            while (reader.TryRead(out var result))
                results.Add(result);
        pipeline.Completion.GetAwaiter().GetResult();
        notes = [];
        while (pipeline.TryTakeNote(out var note))
            notes.Add(note);
        while (pipeline.TryTakeDetail(out var detail))
            notes.Add(detail);
        return results;
    }
}
