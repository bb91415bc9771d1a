namespace Swin2SR.Core.Imaging;

/// <summary>A marker segment: its code, where its body lies, and (for a scan, SOS) where its entropy-coded data ends.</summary>
internal readonly record struct JpegSegment(byte Code, int Start, int End, int DataEnd);

/// <summary>
/// Tells a JPEG that ends just after its last scan's data, without the end-of-image marker (FF D9), from one cut
/// short. Only decoding the Huffman codes can tell them apart: the scan is whole when its last block's codes end
/// inside the file (what follows them is the padding to a byte), cut when the file ends before them. A
/// progressive JPEG must also have had all its scans (every coefficient of every component brought to full
/// precision: a file cut between two scans ends as neatly as a whole one), and so must a sequential one that gives
/// each component a scan of its own. What this does not decode (arithmetic coding, lossless or hierarchical JPEG, a
/// height left to a DNL marker, tables missing or damaged) stays refused as truncated.
/// </summary>
internal static class JpegScans
{
    internal const byte Sof0 = 0xC0, Sof1 = 0xC1, Sof2 = 0xC2;
    private const byte Dht = 0xC4, Dri = 0xDD, Sos = 0xDA;

    /// <summary>The segments <see cref="FindCut"/> reads: frame headers (every SOFn), Huffman tables, the restart interval, scans.</summary>
    public static bool Needs(byte code) => code is Dht or Dri or Sos || IsFrame(code);

    // C4 (DHT), C8 (reserved) and CC (DAC) share the range of the SOFn codes.
    internal static bool IsFrame(byte code) => code is >= 0xC0 and <= 0xCF and not (Dht or 0xC8 or 0xCC);

    /// <summary>Null when the scans hold the whole image; else where and how the file is cut.</summary>
    /// <param name="segments">The file's segments up to its last scan, which runs to the end of the file.</param>
    public static string? FindCut(ReadOnlySpan<byte> data, IReadOnlyList<JpegSegment> segments)
    {
        string unknown = JpegStructure.Truncated(data.Length);
        JpegFrame? frame = null;
        var tables = new JpegHuffmanTable?[2, 4];
        int restartInterval = 0, scans = segments.Count(s => s.Code == Sos), scan = 0;
        foreach (var segment in segments)
        {
            var body = data[segment.Start..segment.End];
            if (IsFrame(segment.Code))
            {
                // A second frame header is a hierarchical JPEG's.
                if (frame is not null || JpegFrame.Read(segment.Code, body) is not { } read)
                    return unknown;
                frame = read;
            }
            else if (segment.Code == Dht && !JpegHuffmanTable.ReadAll(body, tables))
                return unknown;
            else if (segment.Code == Dri)
                restartInterval = body.Length >= 2 ? body[0] << 8 | body[1] : 0;
            else if (segment.Code == Sos)
            {
                scan++;
                if (frame is null || JpegScanHeader.Read(body, frame, tables) is not { } header)
                    return unknown;
                bool last = scan == scans;
                // A progressive scan refines what the earlier ones left, so each is decoded for its history; of a
                // sequential JPEG only the last scan's end is in question.
                if (last || frame.Progressive)
                {
                    var decoder = new JpegScanDecoder(data, segment, header, restartInterval, toFileEnd: last);
                    var (outcome, done) = decoder.Run();
                    if (last && outcome != ScanOutcome.Whole)
                        return outcome == ScanOutcome.Cut ? CutMessage(data.Length, done, header.McuCount, frame.Progressive || scans > 1 ? scan : 0)
                            : $"the JPEG data ends at byte {data.Length} without an end-of-image marker, and the data of its last scan is damaged near byte {decoder.Position}, so it cannot be told whole (the file is truncated or damaged)";
                }
                header.RecordPrecision();
            }
        }
        return frame is { IsComplete: true } ? null
            : $"the JPEG data ends at byte {data.Length}, after {scans} scan{(scans == 1 ? "" : "s")}, with its image unfinished, before its end-of-image marker (the file is truncated)";
    }

    /// <param name="scan">Which scan the file ends in, where the image has (or will have) several; 0 for a JPEG of one scan.</param>
    private static string CutMessage(int length, long done, long total, int scan) =>
        $"the JPEG data ends at byte {length}, {done * 100 / total}% of the way through {(scan > 0 ? $"the data of its scan {scan}" : "its image data")} (the file is truncated)";
}
