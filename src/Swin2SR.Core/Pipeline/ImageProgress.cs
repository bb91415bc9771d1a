namespace Swin2SR.Core.Pipeline;

/// <summary>
/// How far a run has come inside the images it holds: per image in flight, the share of its tiles that have come back
/// from the model. Counting finished images alone, a run of one large image (a 6000x4000 photo takes minutes on a CPU)
/// showed 0% and no time remaining until the end.
/// </summary>
public sealed class ImageProgress
{
    private static readonly AsyncLocal<ImageProgress?> s_observer = new();
    private readonly HashSet<ImageWork> _inFlight = [];

    /// <summary>
    /// Makes the pipelines started by this thread (or its async flow) from now on report to <paramref name="progress"/>.
    /// Ambient because the pipeline of a job is made by its <see cref="Jobs.JobRunner"/>, from the job's stored options.
    /// </summary>
    public static void ObserveNextRuns(ImageProgress? progress) => s_observer.Value = progress;

    internal static ImageProgress? Observer => s_observer.Value;

    /// <summary>The images in flight, each counted as the share of its tiles done (0 to 1): a fraction of images.</summary>
    public double ImagesInFlight
    {
        get
        {
            lock (_inFlight)
                return _inFlight.Sum(work => work.TilesDone);
        }
    }

    internal void Started(ImageWork work)
    {
        lock (_inFlight)
            _inFlight.Add(work);
    }

    internal void Left(ImageWork work)
    {
        lock (_inFlight)
            _inFlight.Remove(work);
    }
}
