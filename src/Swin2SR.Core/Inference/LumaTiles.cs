using Swin2SR.Core.Imaging;
using Swin2SR.Core.Quality;
using Swin2SR.Core.Tiling;

namespace Swin2SR.Core.Inference;

/// <summary>
/// Runs a one-channel (luma or grayscale) model on colour tiles as super-resolution tools do: the model upscales the
/// luma, the chroma is upscaled bicubically (the eye sees detail in luma; chroma is smooth), and the two are joined
/// back into RGB. The YCbCr is BT.601 in the 16-235 range (MATLAB's rgb2ycbcr), on which Y-channel models (SRCNN,
/// VDSR, ...) are trained and scored. A grey tile has no chroma: its luma is its grey, and the model's output comes
/// back as that grey, so grayscale images run through the model directly.
/// </summary>
internal static class LumaTiles
{
    private const float Black = 16f / 255f, Neutral = 128f / 255f;

    // rgb2ycbcr's chroma rows, and the inverse matrix (ycbcr2rgb), both for values in [0,1].
    private const float CbR = -37.797f / 255f, CbG = -74.203f / 255f, CbB = 112f / 255f;
    private const float CrR = 112f / 255f, CrG = -93.786f / 255f, CrB = -18.214f / 255f;
    private const float YScale = 255f / 219f, RCr = 1.596027f, GCb = -0.391762f, GCr = -0.812968f, BCb = 2.017232f;

    /// <summary>The luma ([B,1,H,W]) of <paramref name="batch"/> RGB tiles ([B,3,H,W]) of <paramref name="pixels"/> each.</summary>
    public static void Split(ReadOnlySpan<float> rgb, Span<float> luma, int batch, int pixels)
    {
        for (int b = 0; b < batch; b++)
        {
            var c = rgb.Slice(b * 3 * pixels, 3 * pixels);
            var y = luma.Slice(b * pixels, pixels);
            for (int i = 0; i < pixels; i++)
                y[i] = (float)(LumaChannel.FromRgb(c[i], c[pixels + i], c[2 * pixels + i]) / 255);
        }
    }

    /// <summary>
    /// The output RGB tiles ([B,3,sH,sW]): the model's upscaled luma (<paramref name="luma"/>, [B,1,sH,sW]) with the
    /// chroma of the input tiles (<paramref name="rgb"/>) upscaled bicubically.
    /// </summary>
    public static void Join(ReadOnlySpan<float> rgb, ReadOnlySpan<float> luma, Span<float> output, int batch, TileShape tile, int scale)
    {
        int pixels = (int)tile.Pixels, outPixels = pixels * scale * scale;
        var cb = new float[pixels];
        var cr = new float[pixels];
        for (int b = 0; b < batch; b++)
        {
            var c = rgb.Slice(b * 3 * pixels, 3 * pixels);
            for (int i = 0; i < pixels; i++)
            {
                float r = c[i], g = c[pixels + i], bl = c[2 * pixels + i];
                cb[i] = Neutral + CbR * r + CbG * g + CbB * bl;
                cr[i] = Neutral + CrR * r + CrG * g + CrB * bl;
            }
            var upCb = BicubicResize.Upscale(cb, tile.Width, tile.Height, scale);
            var upCr = BicubicResize.Upscale(cr, tile.Width, tile.Height, scale);
            var y = luma.Slice(b * outPixels, outPixels);
            var tileOut = output.Slice(b * 3 * outPixels, 3 * outPixels);
            for (int i = 0; i < outPixels; i++)
            {
                float yy = YScale * (y[i] - Black), db = upCb[i] - Neutral, dr = upCr[i] - Neutral;
                tileOut[i] = yy + RCr * dr;
                tileOut[outPixels + i] = yy + GCb * db + GCr * dr;
                tileOut[2 * outPixels + i] = yy + BCb * db;
            }
        }
    }
}
