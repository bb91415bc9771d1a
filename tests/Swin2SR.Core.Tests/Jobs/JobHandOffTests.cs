using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Devices;
using Swin2SR.Core.Jobs;
using Swin2SR.Core.Jobs.Sqlite;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Jobs;

/// <summary>Which live run a run may hand its new inputs to: one on this host that works on them as this run would.</summary>
public sealed class JobHandOffTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static readonly JobOptions Options = new() { ModelPath = RepoPaths.TestModel("nearest-x2"), OutputDirectory = "/out", TileSize = 64 };

    private static string Signature(JobOptions options, DeviceKind device = DeviceKind.Auto, int[]? ids = null, Precision precision = Precision.Fp32, PathMap? paths = null) =>
        JobHandOff.Signature(options, options.OutputHash(), device, ids, precision, paths ?? PathMap.None);

    [Fact]
    public void A_run_with_the_options_and_devices_of_a_live_run_has_its_signature_wherever_the_job_recorded_its_root_or_the_model_lies()
    {
        string invoke = Signature(Options);
        // A Resume works with the options as the job recorded them: with the root its outputs mirror, read back from the store.
        var recorded = JobOptions.FromJson((Options with { OutputRoot = "/in" }).ToJson());
        Assert.Equal(invoke, Signature(recorded));
        // The same model moved by a module update is the same model: it counts by its bytes, in the output hash.
        Assert.Equal(invoke, JobHandOff.Signature(Options with { ModelPath = "/elsewhere/nearest-x2.onnx" }, Options.OutputHash(), DeviceKind.Auto, null, Precision.Fp32, PathMap.None));
        Assert.Equal(Signature(Options, DeviceKind.Cuda, [1, 0]), Signature(Options, DeviceKind.Cuda, [0, 1, 1]));
        // The devices count as the run uses them: a Resume given -Device Cpu -Precision Fp16 of a job recorded on cuda:1
        // works as an Invoke with them does, whichever choice each records.
        var onGpu = Options with { Device = DeviceKind.Cuda, DeviceIds = [1], Precision = Precision.Fp16 };
        Assert.Equal(Signature(Options with { Device = DeviceKind.Cpu, Precision = Precision.Fp16 }, DeviceKind.Cpu, precision: Precision.Fp16),
            Signature(onGpu, DeviceKind.Cpu, precision: Precision.Fp16));
    }

    [Fact]
    public void Any_other_option_device_request_precision_or_path_map_makes_another_signature()
    {
        string[] signatures =
        [
            Signature(Options),
            Signature(Options with { TileSize = 32 }),
            Signature(Options with { BatchSize = 2 }),
            Signature(Options with { Force = true }),
            Signature(Options with { MaxInputMegapixels = 10 }),
            Signature(Options with { MinConsistencyPsnr = 0 }),
            Signature(Options with { KeepRejectedDirectory = "/rejected" }),
            Signature(Options with { OutputDirectory = "/other" }),
            Signature(Options, DeviceKind.Cpu),
            Signature(Options, DeviceKind.Cuda),
            Signature(Options, DeviceKind.Cuda, [0]),
            Signature(Options, DeviceKind.Cuda, [1]),
            Signature(Options, precision: Precision.Fp16),
            Signature(Options, paths: PathMap.Parse(["/nas=/mnt/nas"])),
        ];
        Assert.Equal(signatures.Length, signatures.Distinct().Count());
        Assert.Equal(Signature(Options, paths: PathMap.Parse(["/a=/x", "/b=/y"])), Signature(Options, paths: PathMap.Parse(["/b=/y", "/a=/x"])));
    }

    [Fact]
    public void Only_a_live_worker_of_this_host_that_accepts_this_signature_takes_new_items()
    {
        using var store = new SqliteJobStore(_folder.File("jobs.db"));
        long job = store.CreateOrUpdateJob("hot", Options).Id;
        var here = WorkerIdentity.ForThisProcess("cpu");
        var now = DateTimeOffset.UtcNow;
        // Each would be alive by its own lights: a fresh heartbeat where its pid cannot be looked up here.
        store.RegisterWorker(job, here with { Id = "other-options", Accepts = "other" });
        store.RegisterWorker(job, new WorkerRecord("elsewhere", "another-host", 4242, 0, "cpu", now, now, 0, "boot pid:[1]", "sig"));
        store.RegisterWorker(job, here with { Id = "other-container", ProcessScope = "another boot pid:[4026532451]", Accepts = "sig" });
        store.RegisterWorker(job, here with { Id = "gone", ProcessId = int.MaxValue - 1, Accepts = "sig" });
        store.RegisterWorker(job, here with { Id = "closed" });
        // A process stopped (SIGSTOP, a suspended machine) or hung: running, but silent for longer than a lease.
        store.RegisterWorker(job, here with { Id = "silent", Accepts = "sig" });
        SilentWorkers.Silence(_folder.File("jobs.db"), "silent");
        Assert.Null(JobHandOff.RunTakingNewItems(store, job, "sig"));

        store.RegisterWorker(job, here with { Id = "taking", Accepts = "sig" });
        Assert.Equal("taking", JobHandOff.RunTakingNewItems(store, job, "sig")?.Id);
        store.SetAccepts(job, "taking", null);
        Assert.Null(JobHandOff.RunTakingNewItems(store, job, "sig"));
    }
}
