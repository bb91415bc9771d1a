namespace Swin2SR.Core.Imaging;

/// <summary>
/// The bits of a scan's data: FF 00 is a data byte FF; a marker (a restart marker inside the data) gives no
/// bits, and the end of the data none either. The FF bytes before a marker's code are not data, so a file that
/// ends on FF (an EOI cut after its first byte, or a stuffed FF cut from its 00) ends before them.
/// </summary>
internal ref struct JpegBitReader(ReadOnlySpan<byte> data, int start, int end)
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
