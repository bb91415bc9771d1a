namespace Swin2SR.Core.Imaging;

/// <summary>
/// A write-only pass-through that inserts a block of bytes once <paramref name="insertAt"/> bytes have been
/// written: how a chunk the encoder cannot write (PNG iCCP) is put in its place without buffering the image.
/// </summary>
internal sealed class InsertingStream(Stream inner, long insertAt, byte[] insertion) : Stream
{
    private long _written;
    private bool _inserted;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!_inserted && _written + buffer.Length >= insertAt)
        {
            int before = (int)(insertAt - _written);
            inner.Write(buffer[..before]);
            inner.Write(insertion);
            _inserted = true;
            buffer = buffer[before..];
        }
        inner.Write(buffer);
        _written += buffer.Length;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush() => inner.Flush();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
