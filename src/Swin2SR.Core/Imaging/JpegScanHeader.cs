namespace Swin2SR.Core.Imaging;

/// <summary>A scan header (SOS): the components it codes, their tables, and for a progressive scan its band and bit.</summary>
internal sealed class JpegScanHeader(JpegFrame frame, JpegComponent[] components, JpegHuffmanTable?[] dc, JpegHuffmanTable?[] ac, int start, int end, int high, int low)
{
    public JpegFrame Frame => frame;
    public JpegComponent[] Components => components;
    public JpegHuffmanTable?[] Dc => dc;
    public JpegHuffmanTable?[] Ac => ac;
    public int Start => start;
    public int End => end;
    public int High => high;

    /// <summary>A scan of one component codes its blocks one by one; an interleaved scan, the MCUs that cover the image.</summary>
    public long McuCount => components.Length == 1 ? components[0].Blocks
        : (long)JpegFrame.Ceiling(frame.Width, 8 * frame.HMax) * JpegFrame.Ceiling(frame.Height, 8 * frame.VMax);

    public void RecordPrecision()
    {
        foreach (var c in components)
            for (int k = frame.Progressive ? start : 0; k <= (frame.Progressive ? end : 63); k++)
                c.Precision[k] = (byte)(frame.Progressive ? low : 0);
    }

    /// <summary>The scan header, with the tables its coding needs; null when it names what the frame lacks.</summary>
    public static JpegScanHeader? Read(ReadOnlySpan<byte> body, JpegFrame frame, JpegHuffmanTable?[,] tables)
    {
        int count = body.Length > 0 ? body[0] : 0;
        if (count is < 1 or > 4 || body.Length < 1 + 2 * count + 3)
            return null;
        var components = new JpegComponent[count];
        var dc = new JpegHuffmanTable?[count];
        var ac = new JpegHuffmanTable?[count];
        for (int i = 0; i < count; i++)
        {
            byte id = body[1 + 2 * i], selectors = body[2 + 2 * i];
            if (Array.Find(frame.Components, c => c.Id == id) is not { } component || (selectors >> 4) > 3 || (selectors & 15) > 3)
                return null;
            (components[i], dc[i], ac[i]) = (component, tables[0, selectors >> 4], tables[1, selectors & 15]);
        }
        var tail = body[(1 + 2 * count)..];
        int start = tail[0], end = tail[1], high = tail[2] >> 4, low = tail[2] & 15;
        var scan = new JpegScanHeader(frame, components, dc, ac, start, end, high, low);
        return scan.HasWhatItNeeds() ? scan : null;
    }

    private bool HasWhatItNeeds()
    {
        if (!frame.Progressive)
            return dc.All(t => t is not null) && ac.All(t => t is not null);
        if (end > 63 || start > end || low > 13)
            return false;
        if (start == 0)
            return end == 0 && (high > 0 || dc.All(t => t is not null));
        // AC scans of a progressive JPEG code one component each.
        return components.Length == 1 && ac[0] is not null;
    }
}
