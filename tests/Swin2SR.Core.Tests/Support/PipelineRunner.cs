using Swin2SR.Core.Imaging;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Pipeline;

namespace Swin2SR.Core.Tests.Support;

/// <summary>Runs the real pipeline (real files, a real ONNX Runtime session) and collects every result.</summary>
internal static class PipelineRunner
{
    public static List<UpscaleResult> Run(string modelPath, IEnumerable<string> inputs, string outputDirectory, UpscaleOptions options, OutputFormat format = OutputFormat.Png)
    {
        using var model = TileModel.LoadCpu(modelPath, intraOpThreads: 1);
        var items = OutputPlanner.Plan(inputs, outputDirectory, format);
        var pipeline = UpscalePipeline.Start(model, items, options, CancellationToken.None);
        var results = new List<UpscaleResult>();
        var reader = pipeline.Results;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            while (reader.TryRead(out var result))
                results.Add(result);
        pipeline.Completion.GetAwaiter().GetResult();
        return results;
    }
}
