namespace Swin2SR.Core.Tiling;

/// <summary>
/// Reflect padding (x[-1] = x[1], no edge repeat): the same convention as a reflect `Pad` inside a model, so
/// a tile that hangs over the image border sees what the model would see on the whole image.
/// </summary>
internal static class MirrorIndex
{
    public static int Reflect(int index, int length)
    {
        if (length == 1)
            return 0;
        int period = 2 * (length - 1);
        int i = index % period;
        if (i < 0)
            i += period;
        return i < length ? i : period - i;
    }
}
