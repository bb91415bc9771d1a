using Swin2SR.Core.Jobs;
using Swin2SR.Core.Pipeline;

namespace Swin2SR.Core.Tests.Support;

/// <summary>What the job runner tests share: small images to add to a job, and a runner's results read to the end.</summary>
internal static class RunnerSupport
{
    /// <summary><paramref name="count"/> random 16x16 PNGs in the folder's "in", named <paramref name="prefix"/> and a number.</summary>
    public static List<string> SmallInputs(TempFolder folder, int count, string prefix = "") => Enumerable.Range(0, count).Select(i =>
    {
        string path = folder.File("in", $"{prefix}{i:D4}.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        TestImages.SavePng(path, TestImages.RandomPixels(new Random(i), 16, 16), 16, 16);
        return path;
    }).ToList();

    public static async Task<List<UpscaleResult>> ReadAll(JobRunner runner)
    {
        var results = new List<UpscaleResult>();
        await foreach (var result in runner.Results.ReadAllAsync())
            results.Add(result);
        return results;
    }
}
