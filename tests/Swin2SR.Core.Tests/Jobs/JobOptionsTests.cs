using Swin2SR.Core.Jobs;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Jobs;

/// <summary>What makes an item's recorded options differ, so that a rerun redoes it.</summary>
public sealed class JobOptionsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_model_counts_by_its_content_not_by_its_folder_or_file_time()
    {
        // A module update: the same embedded model, in a new folder, written at another time.
        string before = _folder.File("1.0.0", "models", "m.onnx");
        string after = _folder.File("1.1.0", "models", "m.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(before)!);
        Directory.CreateDirectory(Path.GetDirectoryName(after)!);
        File.Copy(RepoPaths.TestModel("nearest-x2"), before);
        File.Copy(RepoPaths.TestModel("nearest-x2"), after);
        File.SetLastWriteTimeUtc(after, DateTime.UtcNow.AddDays(30));
        var options = new JobOptions { ModelPath = before };
        Assert.Equal(options.OutputHash(), (options with { ModelPath = after }).OutputHash());

        // Another model of the same size in the same place is another model.
        byte[] bytes = File.ReadAllBytes(after);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(after, bytes);
        File.SetLastWriteTimeUtc(after, File.GetLastWriteTimeUtc(before));
        Assert.NotEqual(options.OutputHash(), (options with { ModelPath = after }).OutputHash());
        Assert.NotEqual(options.OutputHash(), (options with { Quality = 80 }).OutputHash());
    }

    [Fact]
    public void Keeping_the_print_size_changes_the_outputs_so_a_rerun_with_it_redoes_them()
    {
        var options = new JobOptions { ModelPath = RepoPaths.TestModel("nearest-x2") };
        Assert.NotEqual(options.OutputHash(), (options with { KeepPrintSize = true }).OutputHash());
        Assert.True(JobOptions.FromJson((options with { KeepPrintSize = true }).ToJson()).KeepPrintSize);
    }
}
