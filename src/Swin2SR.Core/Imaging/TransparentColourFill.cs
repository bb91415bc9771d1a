namespace Swin2SR.Core.Imaging;

/// <summary>
/// Gives fully transparent pixels the colour of their visible surroundings before inference. Their stored
/// colour is arbitrary (usually black); the model mixes neighbouring pixels, so that black would leak into the
/// visible edge and show as a dark fringe once the upscaled alpha makes the edge partly opaque.
/// </summary>
/// <remarks>
/// Pull-push: a pyramid of averages of the visible pixels (each level half the size of the one below), then
/// every pixel without a visible pixel beneath it takes its parent's average, top down. Each transparent pixel
/// so gets the colour of the nearest visible region, in time and extra memory linear in the image size.
/// </remarks>
internal static class TransparentColourFill
{
    private const int Channels = 3;

    /// <summary>Overwrites the colour of every pixel whose alpha is 0; a fully transparent image is left as it is.</summary>
    public static void Fill(PlanarImage image, ReadOnlySpan<float> alpha)
    {
        var levels = new List<Level> { BaseLevel(image, alpha) };
        while (levels[^1].Width > 1 || levels[^1].Height > 1)
            levels.Add(levels[^1].Pull());
        if (levels[^1].Weight[0] == 0)
            return;
        for (int l = levels.Count - 2; l >= 0; l--)
            levels[l].PushFrom(levels[l + 1]);
        var filled = levels[0];
        for (int c = 0; c < Channels; c++)
        {
            var plane = image.Plane(c);
            for (int i = 0; i < plane.Length; i++)
            {
                if (alpha[i] == 0)
                    plane[i] = filled.Colour[i * Channels + c];
            }
        }
    }

    private static Level BaseLevel(PlanarImage image, ReadOnlySpan<float> alpha)
    {
        var level = new Level(image.Width, image.Height);
        for (int i = 0; i < alpha.Length; i++)
        {
            if (alpha[i] == 0)
                continue;
            level.Weight[i] = 1;
            for (int c = 0; c < Channels; c++)
                level.Colour[i * Channels + c] = image.Plane(c)[i];
        }
        return level;
    }

    /// <summary>Interleaved colour averages and, per pixel, how many visible source pixels they average.</summary>
    private sealed class Level(int width, int height)
    {
        public int Width { get; } = width;
        public int Height { get; } = height;
        public float[] Colour { get; } = new float[checked(Channels * width * height)];
        public float[] Weight { get; } = new float[width * height];

        /// <summary>The next level up: each pixel the weighted average of the (up to) 2x2 pixels below it.</summary>
        public Level Pull()
        {
            var up = new Level((Width + 1) / 2, (Height + 1) / 2);
            for (int y = 0; y < Height; y++)
            {
                for (int x = 0; x < Width; x++)
                {
                    int i = y * Width + x;
                    float w = Weight[i];
                    if (w == 0)
                        continue;
                    int j = y / 2 * up.Width + x / 2;
                    up.Weight[j] += w;
                    for (int c = 0; c < Channels; c++)
                        up.Colour[j * Channels + c] += Colour[i * Channels + c] * w;
                }
            }
            for (int j = 0; j < up.Weight.Length; j++)
            {
                if (up.Weight[j] == 0)
                    continue;
                for (int c = 0; c < Channels; c++)
                    up.Colour[j * Channels + c] /= up.Weight[j];
            }
            return up;
        }

        /// <summary>Pixels with nothing visible beneath them take their parent's (already filled) colour.</summary>
        public void PushFrom(Level up)
        {
            for (int y = 0; y < Height; y++)
            {
                for (int x = 0; x < Width; x++)
                {
                    int i = y * Width + x;
                    if (Weight[i] != 0)
                        continue;
                    int j = y / 2 * up.Width + x / 2;
                    for (int c = 0; c < Channels; c++)
                        Colour[i * Channels + c] = up.Colour[j * Channels + c];
                }
            }
        }
    }
}
