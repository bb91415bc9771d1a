using Swin2SR.Core.Inference;
using Swin2SR.Core.Inference.Devices;
using Swin2SR.Core.Jobs;
using Swin2SR.Core.Jobs.Sqlite;
using Swin2SR.Core.Pipeline;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Jobs;

/// <summary>What a rerun of a job does with inputs that failed before (JobPlanner over a real SQLite store).</summary>
public sealed class JobPlannerTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A job's options that mirror its inputs into out/ (no model is loaded: nothing is run).</summary>
    private (string Output, JobOptions Options) MirroringOptions()
    {
        string output = _folder.File("out");
        return (output, new JobOptions { ModelPath = _folder.File("model.onnx"), OutputDirectory = output });
    }

    [Fact]
    public async Task An_input_another_run_upscaled_with_its_own_options_is_done_again_by_a_rerun_with_the_options_it_was_added_with()
    {
        using var store = new SqliteJobStore(_folder.File("jobs.db"));
        string model = RepoPaths.TestModel("nearest-x2");
        var options = new JobOptions { ModelPath = model, OutputDirectory = _folder.File("out"), TileSize = 16, TileOverlap = 0 };
        var inputs = RunnerSupport.SmallInputs(_folder, 2);
        var (job, _, _) = JobPlanner.AddInputs(store, "j", options, inputs);
        // A run already working on the job with another tiling takes the items this one added.
        var other = options with { TileSize = 8 };
        using var device = new ScriptedRunner(model, "cpu");
        var runner = JobRunner.Start(store, job, [device], [], CancellationToken.None, outputHash: other.OutputHash());
        Assert.All(await RunnerSupport.ReadAll(runner), r => Assert.Equal(UpscaleStatus.Succeeded, r.Status));
        await runner.Completion;

        // The journal says what the outputs were made with: done for a run with those options, to redo for one with these.
        Assert.Equal(2, JobPlanner.AddInputs(store, "j", other, inputs).Added.AlreadyDone.Count);
        var again = JobPlanner.AddInputs(store, "j", options, inputs).Added;
        Assert.Equal((0, 2), (again.AlreadyDone.Count, again.Requeued));
    }

    [Fact]
    public void An_input_left_failed_is_tried_again_when_the_jobs_options_change_but_not_for_other_devices()
    {
        string input = _folder.File("huge.png");
        File.WriteAllBytes(input, [1, 2, 3]);
        using var store = new SqliteJobStore(_folder.File("jobs.db"));
        var options = new JobOptions { ModelPath = _folder.File("model.onnx"), OutputDirectory = _folder.File("out"), MaxInputMegapixels = 1 };
        var (job, _, _) = JobPlanner.AddInputs(store, "j", options, [input]);
        store.RegisterWorker(job.Id, new WorkerRecord("w", "host", 1, 0, "cpu", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 0));
        var claimed = Assert.Single(store.Claim(job.Id, "w", 1, DateTimeOffset.UtcNow.AddMinutes(1)));
        Assert.True(store.TryBegin("w", claimed.Id));
        store.Complete("w", [new ItemOutcome(claimed.Id, ItemStatus.Failed, "ImageTooLarge", "over 1 megapixel", 1, 0, 0, 0, 0)]);

        var same = JobPlanner.AddInputs(store, "j", options, [input]).Added;
        Assert.Equal([input], same.FailedBefore.Select(f => f.InputPath));
        // A run on a GPU in Fp16 (its choice recorded, as the other options, for Resume) fails the input alike.
        var onGpu = JobPlanner.AddInputs(store, "j", options with { Device = DeviceKind.Cuda, DeviceIds = [1], Precision = Precision.Fp16 }, [input]);
        Assert.Equal([input], onGpu.Added.FailedBefore.Select(f => f.InputPath));
        Assert.Equal((DeviceKind.Cuda, Precision.Fp16), (onGpu.Job.Options.Device, onGpu.Job.Options.Precision));
        Assert.Equal([1], onGpu.Job.Options.DeviceIds);
        var wider = JobPlanner.AddInputs(store, "j", options with { MaxInputMegapixels = 50 }, [input]).Added;
        Assert.Equal((1, 0), (wider.Requeued, wider.FailedBefore.Count));
    }

    [Fact]
    public void Inputs_left_out_of_a_listing_do_not_move_the_outputs_of_the_others()
    {
        using var store = new SqliteJobStore(_folder.File("jobs.db"));
        var (output, options) = MirroringOptions();
        string listed = _folder.File("in");
        string kept = Path.Combine(listed, "a", "one.png");

        var (job, _, _) = JobPlanner.AddInputs(store, "j", options, [kept], listedRoot: listed);

        // in/b/two.png was listed too, and left out (its output folder cannot be written): one.png stays under a/.
        Assert.Equal(Path.Combine(output, "a", "one.png"), Assert.Single(store.Items(job.Id, null)).OutputPath);
        Assert.Equal(listed, job.Options.OutputRoot);
    }

    [Fact]
    public void The_plan_of_a_grown_jobs_outputs_is_the_one_its_run_records_and_leaves_the_job_as_it_was()
    {
        using var store = new SqliteJobStore(_folder.File("jobs.db"));
        var (output, options) = MirroringOptions();
        string shop = _folder.File("shop");
        string boot = Path.Combine(shop, "shoes", "boot.png"), sandal = Path.Combine(shop, "shoes", "sandal.png"), tote = Path.Combine(shop, "bags", "tote.png");
        var (job, _, _) = JobPlanner.AddInputs(store, "j", options, [boot]);

        // The night shop/bags appears: the shoes stay below the first run's folder, shop/shoes.
        var planned = JobPlanner.PlanOutputs(store, "j", options, [boot, sandal, tote], listedRoot: shop);

        Assert.Equal([Path.Combine(output, "boot.png"), Path.Combine(output, "sandal.png"), Path.Combine(output, "bags", "tote.png")],
            planned.Select(p => p.OutputPath));
        Assert.Equal((Path.GetDirectoryName(boot), 1), (store.FindJob("j")!.Options.OutputRoot, store.Items(job.Id, null).Count));
        JobPlanner.AddInputs(store, "j", options, [boot, sandal, tote], listedRoot: shop);
        Assert.Equal(planned.Select(p => (p.InputPath, p.OutputPath)), store.Items(job.Id, null).Select(i => (i.InputPath, i.OutputPath)));
    }

    [Fact]
    public void An_output_made_before_an_earlier_version_recorded_a_wider_root_stays_done_where_it_is()
    {
        using var store = new SqliteJobStore(_folder.File("jobs.db"));
        var (output, options) = MirroringOptions();
        string shoe = Path.Combine(_folder.File("shop"), "shoes", "boot.png");
        Directory.CreateDirectory(Path.GetDirectoryName(shoe)!);
        File.WriteAllBytes(shoe, [1, 2, 3]);
        var (job, _, _) = JobPlanner.AddInputs(store, "j", options, [shoe]);
        store.RegisterWorker(job.Id, new WorkerRecord("w", "host", 1, 0, "cpu", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 0));
        var claimed = Assert.Single(store.Claim(job.Id, "w", 1, DateTimeOffset.UtcNow.AddMinutes(1)));
        Assert.True(store.TryBegin("w", claimed.Id));
        store.Complete("w", [new ItemOutcome(claimed.Id, ItemStatus.Succeeded, null, null, 1, 1, 1, 2, 2)]);
        Directory.CreateDirectory(output);
        File.WriteAllBytes(Path.Combine(output, "boot.png"), [4]);
        // The night shop/bags appeared, an earlier version recorded shop as the job's root: boot.png's output is still out/boot.png.
        store.CreateOrUpdateJob("j", options with { OutputRoot = _folder.File("shop") });

        // -WhatIf's plan names the output the rerun keeps.
        Assert.Equal(Path.Combine(output, "boot.png"), Assert.Single(JobPlanner.PlanOutputs(store, "j", options, [shoe])).OutputPath);
        var rerun = JobPlanner.AddInputs(store, "j", options, [shoe]);

        Assert.Equal(Path.Combine(output, "boot.png"), Assert.Single(rerun.AlreadyDone).OutputPath);
        Assert.Equal(0, rerun.Added.Requeued);
    }

    [Fact]
    public void A_process_that_runs_on_after_its_run_ended_without_reaching_the_store_holds_no_images_for_a_rerun_to_leave_it()
    {
        string path = _folder.File("jobs.db");
        using var store = new SqliteJobStore(path);
        var job = store.CreateOrUpdateJob("j", new JobOptions { ModelPath = "/m.onnx" });
        store.AddItems(job.Id, [new NewItem("/in/a.png", "/out/a.png", "PNG", 1, 1, "h")], redoDone: false);
        // This very process, which is alive: its run began the item, then lost the store, and ended without a word.
        var ghost = WorkerIdentity.ForThisProcess("cpu");
        store.RegisterWorker(job.Id, ghost);
        Assert.All(store.Claim(job.Id, ghost.Id, 1, DateTimeOffset.UtcNow.AddMinutes(2)), c => Assert.True(store.TryBegin(ghost.Id, c.Id)));
        Assert.NotNull(JobPlanner.LiveRunsHoldingTheRest(store, job, store.Summarize(job, _ => false)));

        SilentWorkers.Silence(path, ghost.Id);
        var summary = store.Summarize(job, w => WorkerIdentity.IsWorking(w, JobRunner.DefaultLeaseDuration));
        Assert.Equal(JobState.Interrupted, summary.State);
        Assert.Null(JobPlanner.LiveRunsHoldingTheRest(store, job, summary));
    }
}
