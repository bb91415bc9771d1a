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
    private const byte Sof0 = 0xC0, Sof1 = 0xC1, Sof2 = 0xC2, Dht = 0xC4, Dri = 0xDD, Sos = 0xDA;

    /// <summary>The segments <see cref="FindCut"/> reads: frame headers (every SOFn), Huffman tables, the restart interval, scans.</summary>
    public static bool Needs(byte code) => code is Dht or Dri or Sos || IsFrame(code);

    // C4 (DHT), C8 (reserved) and CC (DAC) share the range of the SOFn codes.
    private static bool IsFrame(byte code) => code is >= 0xC0 and <= 0xCF and not (Dht or 0xC8 or 0xCC);

    /// <summary>Null when the scans hold the whole image; else where and how the file is cut.</summary>
    /// <param name="segments">The file's segments up to its last scan, which runs to the end of the file.</param>
    public static string? FindCut(ReadOnlySpan<byte> data, IReadOnlyList<JpegSegment> segments)
    {
        string unknown = JpegStructure.Truncated(data.Length);
        Frame? frame = null;
        var tables = new HuffmanTable?[2, 4];
        int restartInterval = 0, scans = segments.Count(s => s.Code == Sos), scan = 0;
        foreach (var segment in segments)
        {
            var body = data[segment.Start..segment.End];
            if (IsFrame(segment.Code))
            {
                // A second frame header is a hierarchical JPEG's.
                if (frame is not null || Frame.Read(segment.Code, body) is not { } read)
                    return unknown;
                frame = read;
            }
            else if (segment.Code == Dht && !HuffmanTable.ReadAll(body, tables))
                return unknown;
            else if (segment.Code == Dri)
                restartInterval = body.Length >= 2 ? body[0] << 8 | body[1] : 0;
            else if (segment.Code == Sos)
            {
                scan++;
                if (frame is null || Scan.Read(body, frame, tables) is not { } header)
                    return unknown;
                bool last = scan == scans;
                // A progressive scan refines what the earlier ones left, so each is decoded for its history; of a
                // sequential JPEG only the last scan's end is in question.
                if (last || frame.Progressive)
                {
                    var decoder = new ScanDecoder(data, segment, header, restartInterval, toFileEnd: last);
                    var (outcome, done) = decoder.Run();
                    if (last && outcome != Outcome.Whole)
                        return outcome == Outcome.Cut ? CutMessage(data.Length, done, header.McuCount, frame.Progressive || scans > 1 ? scan : 0)
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

    private enum Outcome { Whole, Cut, Damaged }

    private sealed class Component(int id, int h, int v, int blocksWide, int blocksHigh)
    {
        public int Id => id;
        public int H => h;
        public int V => v;
        public int BlocksWide => blocksWide;
        public long Blocks => (long)blocksWide * blocksHigh;

        /// <summary>The successive-approximation bit each coefficient (zig-zag order) has been sent to; 0xFF for none yet.</summary>
        public byte[] Precision { get; } = Enumerable.Repeat((byte)0xFF, 64).ToArray();

        /// <summary>Progressive AC refinement reads a correction bit for each coefficient already nonzero: one bit a coefficient, a word a block.</summary>
        public ulong[] Nonzero => _nonzero ??= new ulong[Blocks];
        private ulong[]? _nonzero;
    }

    private sealed class Frame(bool progressive, int width, int height, Component[] components)
    {
        public bool Progressive => progressive;
        public int Width => width;
        public int Height => height;
        public Component[] Components => components;
        public int HMax { get; } = components.Max(c => c.H);
        public int VMax { get; } = components.Max(c => c.V);
        public bool IsComplete => components.All(c => c.Precision.All(bit => bit == 0));

        /// <summary>Baseline, extended and progressive Huffman-coded frames; null for any other, or a header that does not add up.</summary>
        public static Frame? Read(byte code, ReadOnlySpan<byte> body)
        {
            if (code is not (Sof0 or Sof1 or Sof2) || body.Length < 6)
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
            var components = sampling.Select(s => new Component(s.Id, s.H, s.V,
                BlocksOver(Ceiling(width * s.H, hMax)), BlocksOver(Ceiling(height * s.V, vMax)))).ToArray();
            return new Frame(code == Sof2, width, height, components);
        }
    }

    private static int Ceiling(int value, int divisor) => (value + divisor - 1) / divisor;

    private static int BlocksOver(int samples) => Ceiling(samples, 8);

    private sealed class Scan(Frame frame, Component[] components, HuffmanTable?[] dc, HuffmanTable?[] ac, int start, int end, int high, int low)
    {
        public Frame Frame => frame;
        public Component[] Components => components;
        public HuffmanTable?[] Dc => dc;
        public HuffmanTable?[] Ac => ac;
        public int Start => start;
        public int End => end;
        public int High => high;
        public int Low => low;

        /// <summary>A scan of one component codes its blocks one by one; an interleaved scan, the MCUs that cover the image.</summary>
        public long McuCount => components.Length == 1 ? components[0].Blocks
            : (long)Ceiling(frame.Width, 8 * frame.HMax) * Ceiling(frame.Height, 8 * frame.VMax);

        public void RecordPrecision()
        {
            foreach (var c in components)
                for (int k = frame.Progressive ? start : 0; k <= (frame.Progressive ? end : 63); k++)
                    c.Precision[k] = (byte)(frame.Progressive ? low : 0);
        }

        /// <summary>The scan header, with the tables its coding needs; null when it names what the frame lacks.</summary>
        public static Scan? Read(ReadOnlySpan<byte> body, Frame frame, HuffmanTable?[,] tables)
        {
            int count = body.Length > 0 ? body[0] : 0;
            if (count is < 1 or > 4 || body.Length < 1 + 2 * count + 3)
                return null;
            var components = new Component[count];
            var dc = new HuffmanTable?[count];
            var ac = new HuffmanTable?[count];
            for (int i = 0; i < count; i++)
            {
                byte id = body[1 + 2 * i], selectors = body[2 + 2 * i];
                if (Array.Find(frame.Components, c => c.Id == id) is not { } component || (selectors >> 4) > 3 || (selectors & 15) > 3)
                    return null;
                (components[i], dc[i], ac[i]) = (component, tables[0, selectors >> 4], tables[1, selectors & 15]);
            }
            var tail = body[(1 + 2 * count)..];
            int start = tail[0], end = tail[1], high = tail[2] >> 4, low = tail[2] & 15;
            var scan = new Scan(frame, components, dc, ac, start, end, high, low);
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

    /// <summary>A canonical Huffman table (T.81 Annex C), decoded a bit at a time: only a rare file missing its EOI comes here.</summary>
    private sealed class HuffmanTable
    {
        private readonly int[] _maxCode = new int[17];
        private readonly int[] _offset = new int[17];
        private readonly byte[] _symbols;

        private HuffmanTable(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> symbols)
        {
            _symbols = symbols.ToArray();
            int code = 0, k = 0;
            for (int length = 1; length <= 16; length++)
            {
                int n = counts[length - 1];
                _offset[length] = k - code;
                k += n;
                code += n;
                _maxCode[length] = n > 0 ? code - 1 : -1;
                code <<= 1;
            }
        }

        /// <summary>Every table of a DHT segment into [class, id]; false when the segment does not hold what it declares.</summary>
        public static bool ReadAll(ReadOnlySpan<byte> body, HuffmanTable?[,] tables)
        {
            while (body.Length > 0)
            {
                if (body.Length < 17)
                    return false;
                int tableClass = body[0] >> 4, id = body[0] & 15, total = 0;
                foreach (byte n in body.Slice(1, 16))
                    total += n;
                if (tableClass > 1 || id > 3 || total > 256 || body.Length < 17 + total)
                    return false;
                tables[tableClass, id] = new HuffmanTable(body.Slice(1, 16), body.Slice(17, total));
                body = body[(17 + total)..];
            }
            return true;
        }

        /// <summary>The next symbol; -1 when the bits run out or no code matches (<see cref="BitReader.Damaged"/>).</summary>
        public int Decode(ref BitReader bits)
        {
            int code = 0;
            for (int length = 1; length <= 16; length++)
            {
                int bit = bits.Bit();
                if (bit < 0)
                    return -1;
                code = code << 1 | bit;
                if (code <= _maxCode[length])
                    return _symbols[code + _offset[length]];
            }
            bits.Damaged = true;
            return -1;
        }
    }

    /// <summary>
    /// The bits of a scan's data: FF 00 is a data byte FF; a marker (a restart marker inside the data) gives no
    /// bits, and the end of the data none either. The FF bytes before a marker's code are not data, so a file that
    /// ends on FF (an EOI cut after its first byte, or a stuffed FF cut from its 00) ends before them.
    /// </summary>
    private ref struct BitReader(ReadOnlySpan<byte> data, int start, int end)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _p = start, _byte, _left;

        public int Position => _p;

        /// <summary>The bits ran out at the end of the data (not at a marker inside it).</summary>
        public bool Exhausted { get; private set; }

        /// <summary>A code no table holds, or a magnitude longer than any coefficient's.</summary>
        public bool Damaged { get; set; }

        public int Bit()
        {
            if (_left == 0 && !Fill())
                return -1;
            _left--;
            return _byte >> _left & 1;
        }

        /// <summary>Reads past <paramref name="count"/> bits (a coefficient's magnitude); false when they are not all there.</summary>
        public bool Skip(int count)
        {
            if (count > 16)
            {
                Damaged = true;
                return false;
            }
            for (int i = 0; i < count; i++)
                if (Bit() < 0)
                    return false;
            return true;
        }

        /// <summary>The value of the next <paramref name="count"/> bits; -1 when they are not all there.</summary>
        public int Bits(int count)
        {
            int value = 0;
            for (int i = 0; i < count; i++)
            {
                int bit = Bit();
                if (bit < 0)
                    return -1;
                value = value << 1 | bit;
            }
            return value;
        }

        private bool Fill()
        {
            if (_p >= end)
                return Exhaust();
            int b = _data[_p];
            if (b == 0xFF)
            {
                int q = _p + 1;
                while (q < end && _data[q] == 0xFF)
                    q++;
                if (q >= end)
                    return Exhaust();
                if (_data[q] != 0x00)
                    return false;
                _p = q + 1;
            }
            else
                _p++;
            _byte = b;
            _left = 8;
            return true;
        }

        private bool Exhaust()
        {
            Exhausted = true;
            return false;
        }

        /// <summary>
        /// Drops the bits left of the interval just decoded and moves past the next restart marker (skipping any
        /// bytes the interval did not use); false when the data ends, or another marker comes, first.
        /// </summary>
        public bool Restart()
        {
            _left = 0;
            while (_p < end)
            {
                if (_data[_p] != 0xFF)
                {
                    _p++;
                    continue;
                }
                int q = _p + 1;
                while (q < end && _data[q] == 0xFF)
                    q++;
                if (q >= end)
                    break;
                _p = q + 1;
                if (_data[q] is >= 0xD0 and <= 0xD7)
                    return true;
                if (_data[q] != 0x00)
                    return false;
            }
            return Exhaust();
        }
    }

    /// <summary>Decodes one scan's codes without keeping coefficients: only whether they are all there, and which AC coefficients became nonzero.</summary>
    private ref struct ScanDecoder(ReadOnlySpan<byte> data, JpegSegment segment, Scan scan, int restartInterval, bool toFileEnd)
    {
        private BitReader _bits = new(data, segment.End, segment.DataEnd);
        private int _endOfBandRun;

        public readonly int Position => _bits.Position;

        /// <summary>How the scan ends, and how many of its MCUs were decoded whole.</summary>
        public (Outcome Outcome, long Done) Run()
        {
            long total = scan.McuCount;
            for (long mcu = 0; mcu < total; mcu++)
            {
                if (restartInterval > 0 && mcu > 0 && mcu % restartInterval == 0)
                {
                    if (!_bits.Restart())
                        return (toFileEnd && _bits.Exhausted ? Outcome.Cut : Outcome.Whole, mcu);
                    _endOfBandRun = 0;
                }
                if (DecodeMcu(mcu))
                    continue;
                if (_bits.Damaged)
                    return (Outcome.Damaged, mcu);
                // An earlier scan whose data runs out is read, as decoders read it, with the rest of it missing.
                if (!toFileEnd)
                    return (Outcome.Whole, mcu);
                if (_bits.Exhausted)
                    return (Outcome.Cut, mcu);
                // A restart marker inside an interval: decoders lose the rest of the interval and go on at the next; without
                // intervals the last scan cannot be followed to its end.
                if (restartInterval == 0)
                    return (Outcome.Damaged, mcu);
                mcu += restartInterval - 1 - mcu % restartInterval;
            }
            return (Outcome.Whole, total);
        }

        private bool DecodeMcu(long mcu)
        {
            if (scan.Components.Length == 1)
                return DecodeBlock(0, mcu);
            for (int i = 0; i < scan.Components.Length; i++)
                for (int b = scan.Components[i].H * scan.Components[i].V; b > 0; b--)
                    if (!DecodeBlock(i, -1))
                        return false;
            return true;
        }

        /// <param name="index">The block's place among its component's blocks, for an AC scan's history; -1 in an interleaved scan (DC only).</param>
        private bool DecodeBlock(int i, long index)
        {
            if (!scan.Frame.Progressive)
                return DecodeDc(i) && DecodeSequentialAc(i);
            if (scan.Start == 0)
                return scan.High == 0 ? DecodeDc(i) : _bits.Bit() >= 0;
            ref ulong nonzero = ref scan.Components[0].Nonzero[index];
            return scan.High == 0 ? DecodeFirstAc(ref nonzero) : RefineAc(ref nonzero);
        }

        private bool DecodeDc(int i)
        {
            int size = scan.Dc[i]!.Decode(ref _bits);
            return size >= 0 && _bits.Skip(size);
        }

        private bool DecodeSequentialAc(int i)
        {
            for (int k = 1; k < 64; k++)
            {
                int rs = scan.Ac[i]!.Decode(ref _bits);
                if (rs < 0)
                    return false;
                int run = rs >> 4, size = rs & 15;
                if (size == 0 && run != 15)
                    break;
                k += run;
                if (!_bits.Skip(size))
                    return false;
            }
            return true;
        }

        /// <summary>
        /// The next symbol of a progressive AC scan: a run of zero coefficients and the size of the one after it, or
        /// (<paramref name="endOfBand"/>) an end-of-band run, EOBn, read whole: 2^n blocks, and as many more as its
        /// extra bits say. False when the bits run out.
        /// </summary>
        private bool NextAc(out int run, out int size, out bool endOfBand)
        {
            int rs = scan.Ac[0]!.Decode(ref _bits);
            run = rs >> 4;
            size = rs & 15;
            endOfBand = size == 0 && run != 15;
            if (rs < 0 || !endOfBand)
                return rs >= 0;
            int extra = run > 0 ? _bits.Bits(run) : 0;
            _endOfBandRun = (1 << run) + extra;
            return extra >= 0;
        }

        /// <summary>T.81 G.1.2.2, as libjpeg's decode_mcu_AC_first.</summary>
        private bool DecodeFirstAc(ref ulong nonzero)
        {
            if (_endOfBandRun > 0)
            {
                _endOfBandRun--;
                return true;
            }
            for (int k = scan.Start; k <= scan.End; k++)
            {
                if (!NextAc(out int run, out int size, out bool endOfBand))
                    return false;
                if (endOfBand)
                {
                    _endOfBandRun--;
                    break;
                }
                k += run;
                if (size == 0)
                    continue;
                if (!_bits.Skip(size))
                    return false;
                if (k < 64)
                    nonzero |= 1UL << k;
            }
            return true;
        }

        /// <summary>T.81 G.1.2.3, as libjpeg's decode_mcu_AC_refine: a correction bit for each coefficient already nonzero.</summary>
        private bool RefineAc(ref ulong nonzero)
        {
            int k = scan.Start;
            if (_endOfBandRun == 0)
            {
                for (; k <= scan.End; k++)
                {
                    if (!NextAc(out int run, out int size, out bool endOfBand))
                        return false;
                    if (endOfBand)
                        break;
                    // A new coefficient (of magnitude 1: its sign bit) lands after `run` zero ones, past the nonzero ones between.
                    if (size != 0 && _bits.Bit() < 0)
                        return false;
                    for (; k <= scan.End; k++)
                    {
                        if ((nonzero >> k & 1) != 0)
                        {
                            if (_bits.Bit() < 0)
                                return false;
                        }
                        else if (--run < 0)
                            break;
                    }
                    if (size != 0 && k < 64)
                        nonzero |= 1UL << k;
                }
            }
            if (_endOfBandRun > 0)
            {
                for (; k <= scan.End; k++)
                    if ((nonzero >> k & 1) != 0 && _bits.Bit() < 0)
                        return false;
                _endOfBandRun--;
            }
            return true;
        }
    }
}
