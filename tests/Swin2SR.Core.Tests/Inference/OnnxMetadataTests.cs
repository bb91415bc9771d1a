using Microsoft.ML.OnnxRuntime;
using Swin2SR.Core.Inference;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Inference;

public sealed class OnnxMetadataTests
{
    public static TheoryData<string> CommittedModels()
    {
        var models = new TheoryData<string>();
        foreach (var folder in new[] { "models", Path.Combine("models", "test") })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, folder), "*.onnx"))
                models.Add(Path.GetRelativePath(RepoPaths.Root, file));
        }
        return models;
    }

    [Theory]
    [MemberData(nameof(CommittedModels))]
    public void Reads_the_metadata_ONNX_Runtime_reads(string model)
    {
        string path = Path.Combine(RepoPaths.Root, model);
        using var session = new InferenceSession(path);

        var read = OnnxMetadata.Read(path);

        Assert.Equal(session.ModelMetadata.CustomMetadataMap.OrderBy(p => p.Key), read.OrderBy(p => p.Key));
        Assert.NotEmpty(read);
    }

    [Fact]
    public void Refuses_a_model_cut_short()
    {
        using var temp = new TempFolder();
        var bytes = File.ReadAllBytes(RepoPaths.TestModel("nearest-x2"));
        File.WriteAllBytes(temp.File("cut.onnx"), bytes[..(bytes.Length / 2)]);

        Assert.Throws<InvalidDataException>(() => OnnxMetadata.Read(temp.File("cut.onnx")));
    }
}
