using Swin2SR.Core.Inference;

namespace Swin2SR.Core.Pipeline;

/// <summary>The tile size and overlap a run uses, reconciled with what the model allows.</summary>
public readonly record struct TileGeometry(int TileSize, int Overlap)
{
    public static TileGeometry Resolve(UpscaleOptions options, ModelContract contract)
    {
        int tile = contract.FixedSize ?? (options.TileSize > 0 ? options.TileSize : DefaultFor(contract.Window));
        if (contract.FixedSize is null && tile % contract.Window != 0)
            throw new InvalidTilingException($"The tile size {tile} is not a multiple of the model's window ({contract.Window}); try {RoundUp(tile, contract.Window)}.", tile);
        if (options.TileOverlap < 0 || options.TileOverlap * 2 > tile)
            throw new InvalidTilingException($"The tile overlap {options.TileOverlap} must be between 0 and half the tile size ({tile / 2}).", options.TileOverlap);
        return new TileGeometry(tile, options.TileOverlap);
    }

    /// <summary>
    /// The check of <see cref="Resolve"/> against the window the model file states and the input size its graph
    /// fixes, without loading the model: so a -WhatIf rehearsal, and the questions of -Confirm, meet the error the
    /// run would meet once the model loads, and no other. A model with a fixed input size runs tiles of that size
    /// whatever -TileSize says (its window does not matter then), so only the overlap is checked, against half of
    /// it. Nothing is checked for a model that states neither (only loading it finds its window).
    /// </summary>
    /// <exception cref="InvalidTilingException">The tile size is no multiple of the stated window, or the overlap too large.</exception>
    public static void CheckStated(string modelPath, UpscaleOptions options)
    {
        int? fixedSize = ModelContract.StatedFixedSize(modelPath);
        int? window = ModelContract.StatedWindow(modelPath);
        if (fixedSize is not null || window is not null)
            Resolve(options, new ModelContract("", "", 0, window ?? ModelContract.DefaultWindow, fixedSize, FixedBatch: null));
    }

    // The default is no choice of the user's, so it fits the model rather than failing: the largest multiple of the
    // window up to the default size (252 for a window of 12), or one window where that is larger.
    internal static int DefaultFor(int window) => Math.Max(window, UpscaleOptions.DefaultTileSize / window * window);

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
