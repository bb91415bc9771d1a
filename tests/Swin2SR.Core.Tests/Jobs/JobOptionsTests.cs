using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Devices;
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

    [Fact]
    public void The_device_choice_is_recorded_and_a_job_recorded_before_it_was_reads_as_auto_on_every_device_in_fp32()
    {
        var options = new JobOptions { ModelPath = "m.onnx", Device = DeviceKind.Cpu, DeviceIds = [1, 2], Precision = Precision.Fp16 };
        var read = JobOptions.FromJson(options.ToJson());
        Assert.Equal((DeviceKind.Cpu, Precision.Fp16), (read.Device, read.Precision));
        Assert.Equal([1, 2], read.DeviceIds);

        // A job's options as version 1.x wrote them, before the device choice was recorded.
        var old = JobOptions.FromJson("""
            {"ModelPath":"m.onnx","OutputDirectory":"out","OutputRoot":"in","Format":"Png","Quality":90,"TileSize":0,"TileOverlap":32,
             "BatchSize":0,"Force":false,"MaxInputMegapixels":100,"MaxOutputMegapixels":400,"AlphaMode":0,"MinConsistencyPsnr":28,
             "KeepRejectedDirectory":null,"KeepPrintSize":false}
            """);
        Assert.Equal((DeviceKind.Auto, null, Precision.Fp32), (old.Device, old.DeviceIds, old.Precision));
        Assert.Equal("Png", old.Format);
    }

    [Fact]
    public void The_device_and_precision_leave_the_output_digest_as_jobs_recorded_it_before()
    {
        // The digest of the default options with the test model, as every version since KeepPrintSize recorded it:
        // a job's done images stay done after the update, and when it is resumed on a GPU or in Fp16.
        var options = new JobOptions { ModelPath = RepoPaths.TestModel("nearest-x2") };
        Assert.Equal(PinnedDigest, options.OutputHash());
        Assert.Equal(PinnedDigest, (options with { Device = DeviceKind.Cuda, DeviceIds = [1], Precision = Precision.Fp16 }).OutputHash());
    }

    [Theory]
    [InlineData("png")]
    [InlineData("PNG")]
    public void A_format_spelled_otherwise_is_the_same_option_for_the_digest_the_hand_off_and_the_record(string typed)
    {
        var named = new JobOptions { ModelPath = RepoPaths.TestModel("nearest-x2"), Format = "Png" };
        var spelled = named with { Format = typed };
        string Signature(JobOptions o) => JobHandOff.Signature(o, o.OutputHash(), DeviceKind.Cpu, null, Precision.Fp32, PathMap.Parse([]));

        Assert.Equal(named.OutputHash(), spelled.OutputHash());
        Assert.Equal(Signature(named), Signature(spelled));
        // As a job recorded before its format was kept by name reads it back.
        Assert.Equal("Png", JobOptions.FromJson(spelled.ToJson().Replace("\"Png\"", $"\"{typed}\"")).Format);
    }

    private const string PinnedDigest = "2F7A8E28033945C8";
}
