namespace Swin2SR.Core.Imaging;

/// <summary>How a scan's data ends: with every block, cut short by the end of the file, or with a code no table holds.</summary>
internal enum ScanOutcome { Whole, Cut, Damaged }

/// <summary>Decodes one scan's codes without keeping coefficients: only whether they are all there, and which AC coefficients became nonzero.</summary>
internal ref struct JpegScanDecoder(ReadOnlySpan<byte> data, JpegSegment segment, JpegScanHeader scan, int restartInterval, bool toFileEnd)
{
    private JpegBitReader _bits = new(data, segment.End, segment.DataEnd);
    private int _endOfBandRun;

    public readonly int Position => _bits.Position;

    /// <summary>How the scan ends, and how many of its MCUs were decoded whole.</summary>
    public (ScanOutcome ScanOutcome, long Done) Run()
    {
        long total = scan.McuCount;
        for (long mcu = 0; mcu < total; mcu++)
        {
            if (restartInterval > 0 && mcu > 0 && mcu % restartInterval == 0)
            {
                if (!_bits.Restart())
                    return (toFileEnd && _bits.Exhausted ? ScanOutcome.Cut : ScanOutcome.Whole, mcu);
                _endOfBandRun = 0;
            }
            if (DecodeMcu(mcu))
                continue;
            if (_bits.Damaged)
                return (ScanOutcome.Damaged, mcu);
            // An earlier scan whose data runs out is read, as decoders read it, with the rest of it missing.
            if (!toFileEnd)
                return (ScanOutcome.Whole, mcu);
            if (_bits.Exhausted)
                return (ScanOutcome.Cut, mcu);
            // A restart marker inside an interval: decoders lose the rest of the interval and go on at the next; without
            // intervals the last scan cannot be followed to its end.
            if (restartInterval == 0)
                return (ScanOutcome.Damaged, mcu);
            mcu += restartInterval - 1 - mcu % restartInterval;
        }
        return (ScanOutcome.Whole, total);
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
