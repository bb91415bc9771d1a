namespace Swin2SR.Core.Imaging;

/// <summary>
/// Upscales one plane by an integer factor with cubic convolution (Keys, a = -0.5), clamped at the borders and
/// to [0,1]: how the alpha channel follows the model-upscaled colour in -AlphaMode Bicubic.
/// </summary>
internal static class BicubicResize
{
    private const float A = -0.5f;

    /// <summary>A <paramref name="width"/> x <paramref name="height"/> plane to (width*scale) x (height*scale).</summary>
    public static float[] Upscale(ReadOnlySpan<float> plane, int width, int height, int scale)
    {
        int outWidth = width * scale, outHeight = height * scale;
        var (columnTaps, columnWeights) = Taps(width, scale);
        var (rowTaps, rowWeights) = Taps(height, scale);
        // Rows first at input height, then columns: 4 taps per output value in each pass.
        var wide = new float[height * outWidth];
        for (int y = 0; y < height; y++)
        {
            var source = plane.Slice(y * width, width);
            var target = wide.AsSpan(y * outWidth, outWidth);
            for (int x = 0; x < outWidth; x++)
            {
                float sum = 0;
                for (int k = 0; k < 4; k++)
                    sum += source[columnTaps[x * 4 + k]] * columnWeights[x % scale * 4 + k];
                target[x] = sum;
            }
        }
        var output = new float[outHeight * outWidth];
        for (int y = 0; y < outHeight; y++)
        {
            var target = output.AsSpan(y * outWidth, outWidth);
            for (int k = 0; k < 4; k++)
            {
                var source = wide.AsSpan(rowTaps[y * 4 + k] * outWidth, outWidth);
                float w = rowWeights[y % scale * 4 + k];
                for (int x = 0; x < outWidth; x++)
                    target[x] += source[x] * w;
            }
            for (int x = 0; x < outWidth; x++)
                target[x] = Math.Clamp(target[x], 0f, 1f);
        }
        return output;
    }

    /// <summary>
    /// For each output position o, the four source indices around its centre (o + 0.5) / scale - 0.5 (clamped to
    /// the image), and for each of the <paramref name="scale"/> phases the four weights (they repeat every scale).
    /// </summary>
    private static (int[] Taps, float[] Weights) Taps(int length, int scale)
    {
        var taps = new int[length * scale * 4];
        var weights = new float[scale * 4];
        for (int o = 0; o < length * scale; o++)
        {
            double centre = (o + 0.5) / scale - 0.5;
            int first = (int)Math.Floor(centre) - 1;
            double t = centre - Math.Floor(centre);
            for (int k = 0; k < 4; k++)
            {
                taps[o * 4 + k] = Math.Clamp(first + k, 0, length - 1);
                if (o < scale)
                    weights[o * 4 + k] = Kernel((float)(k - 1 - t));
            }
        }
        return (taps, weights);
    }

    private static float Kernel(float x)
    {
        x = Math.Abs(x);
        if (x <= 1)
            return ((A + 2) * x - (A + 3)) * x * x + 1;
        if (x < 2)
            return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
        return 0;
    }
}
