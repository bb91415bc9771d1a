namespace Swin2SR.Core.Pipeline;

/// <summary>A device stopped working mid-run; it hands back the tiles it held so that no tile is lost.</summary>
internal sealed class DeviceFailedException : Exception
{
    public DeviceFailedException(string device, IReadOnlyList<TileWork> unfinished, Exception inner)
        : base($"{device} failed: {inner.Message}", inner)
    {
        Unfinished = unfinished;
    }

    public IReadOnlyList<TileWork> Unfinished { get; }
}
