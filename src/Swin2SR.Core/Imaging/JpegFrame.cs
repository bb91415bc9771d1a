namespace Swin2SR.Core.Imaging;

/// <summary>One colour component of a frame: its sampling, how many 8x8 blocks it has, and what the scans so far sent of them.</summary>
internal sealed class JpegComponent(int id, int h, int v, int blocksWide, int blocksHigh)
{
    public int Id => id;
    public int H => h;
    public int V => v;
    public long Blocks => (long)blocksWide * blocksHigh;

    /// <summary>The successive-approximation bit each coefficient (zig-zag order) has been sent to; 0xFF for none yet.</summary>
    public byte[] Precision { get; } = Enumerable.Repeat((byte)0xFF, 64).ToArray();

    /// <summary>Progressive AC refinement reads a correction bit for each coefficient already nonzero: one bit a coefficient, a word a block.</summary>
    public ulong[] Nonzero => _nonzero ??= new ulong[Blocks];
    private ulong[]? _nonzero;
}

/// <summary>A JPEG frame header (SOFn): the image's size and its components.</summary>
internal sealed class JpegFrame(bool progressive, int width, int height, JpegComponent[] components)
{
    public bool Progressive => progressive;
    public int Width => width;
    public int Height => height;
    public JpegComponent[] Components => components;
    public int HMax { get; } = components.Max(c => c.H);
    public int VMax { get; } = components.Max(c => c.V);
    public bool IsComplete => components.All(c => c.Precision.All(bit => bit == 0));

    /// <summary>Baseline, extended and progressive Huffman-coded frames; null for any other, or a header that does not add up.</summary>
    public static JpegFrame? Read(byte code, ReadOnlySpan<byte> body)
    {
        if (code is not (JpegScans.Sof0 or JpegScans.Sof1 or JpegScans.Sof2) || body.Length < 6)
            return null;
        int height = body[1] << 8 | body[2], width = body[3] << 8 | body[4], count = body[5];
        if (height == 0 || width == 0 || count is < 1 or > 4 || body.Length < 6 + 3 * count)
            return null;
        var sampling = new (int Id, int H, int V)[count];
        for (int i = 0; i < count; i++)
        {
            var c = body.Slice(6 + 3 * i, 3);
            sampling[i] = (c[0], c[1] >> 4, c[1] & 15);
            if (sampling[i].H is < 1 or > 4 || sampling[i].V is < 1 or > 4)
                return null;
        }
        int hMax = sampling.Max(s => s.H), vMax = sampling.Max(s => s.V);
        // A component's own size is the image's scaled by its sampling; its blocks cover that, not the padded MCUs (T.81 A.1.1).
        var components = sampling.Select(s => new JpegComponent(s.Id, s.H, s.V,
            BlocksOver(Ceiling(width * s.H, hMax)), BlocksOver(Ceiling(height * s.V, vMax)))).ToArray();
        return new JpegFrame(code == JpegScans.Sof2, width, height, components);
    }

    public static int Ceiling(int value, int divisor) => (value + divisor - 1) / divisor;

    private static int BlocksOver(int samples) => Ceiling(samples, 8);
}
