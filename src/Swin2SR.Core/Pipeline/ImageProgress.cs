namespace Swin2SR.Core.Pipeline;

/// <summary>
/// How far a run has come inside the images it holds: per image in flight, the share of its tiles that have come back
/// from the model. Counting finished images alone, a run of one large image (a 6000x4000 photo takes minutes on a CPU)
/// showed 0% and no time remaining until the end.
/// </summary>
internal sealed class ImageProgress
{
    // In the order the images began: the first is the one the run has been on longest, which progress names.
    private readonly List<ImageWork> _inFlight = [];

    /// <summary>The images in flight, each counted as the share of its tiles done (0 to 1): a fraction of images.</summary>
    public double ImagesInFlight
    {
        get
        {
            lock (_inFlight)
                return _inFlight.Sum(work => work.TilesDone);
        }
    }

    /// <summary>The input bytes of the images in flight, each counted by the share of its tiles done.</summary>
    public double BytesInFlight
    {
        get
        {
            lock (_inFlight)
                return _inFlight.Sum(work => work.TilesDone * work.Item.InputLength);
        }
    }

    /// <summary>The input files of the images in flight, the one begun first first.</summary>
    public IReadOnlyList<string> InputPaths
    {
        get
        {
            lock (_inFlight)
                return _inFlight.Select(work => work.Item.InputPath).ToList();
        }
    }

    internal void Started(ImageWork work)
    {
        lock (_inFlight)
        {
            if (!_inFlight.Contains(work))
                _inFlight.Add(work);
        }
    }

    internal void Left(ImageWork work)
    {
        lock (_inFlight)
            _inFlight.Remove(work);
    }
}
