using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tiling;

namespace Swin2SR.Core.Pipeline;

/// <summary>An image in flight: decoded, cut into tiles, its output filling as tiles come back.</summary>
internal sealed class ImageWork
{
    public ImageWork(UpscaleItem item, PlanarImage input, TilePlan plan, long startedAt)
    {
        Item = item;
        Input = input;
        Plan = plan;
        Canvas = new StitchCanvas(plan, input.Width, input.Height);
        StartedAt = startedAt;
        InputWidth = input.Width;
        InputHeight = input.Height;
    }

    public UpscaleItem Item { get; }

    /// <summary>Dropped once the last tile is read, so a finished image holds only its output.</summary>
    public PlanarImage? Input { get; set; }

    public TilePlan Plan { get; }
    public StitchCanvas Canvas { get; }
    public long StartedAt { get; }
    public int InputWidth { get; }
    public int InputHeight { get; }

    /// <summary>Set once when the image fails mid-flight; its remaining tiles are then dropped.</summary>
    public bool Failed { get; set; }
}

/// <summary>One tile of one image, the unit the batcher packs into [B,3,T,T].</summary>
internal readonly record struct TileWork(ImageWork Image, int Index);
