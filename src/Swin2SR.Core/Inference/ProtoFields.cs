namespace Swin2SR.Core.Inference;

/// <summary>
/// Walks the protobuf fields of an ONNX file on disk without reading them into memory: numbers and fixed-size
/// fields are passed over, and of the length-delimited ones (messages, bytes) only the position and length are
/// given. Whatever the caller does not read of a field is seeked over, so the weights (nearly all of a model
/// file) are never read: listing models and checking their files stays cheap however large they are.
/// </summary>
internal sealed class ProtoFields
{
    private readonly FileStream _file;

    public ProtoFields(FileStream file) => _file = file;

    public FileStream File => _file;

    /// <summary>
    /// The length-delimited fields from the current position up to <paramref name="end"/>: the field number and the
    /// payload's length, with the file positioned at the payload's start. After each, the walk goes on after the payload.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are no protobuf message (no ONNX model), or are cut short.</exception>
    public IEnumerable<(int Field, long Length)> LengthDelimited(long end)
    {
        while (_file.Position < end)
        {
            ulong tag = ReadVarint();
            switch (tag & 7)
            {
                case 0:
                    ReadVarint();
                    break;
                case 1:
                    Skip(8, end);
                    break;
                case 5:
                    Skip(4, end);
                    break;
                case 2:
                    ulong length = ReadVarint();
                    if (length > (ulong)(end - _file.Position))
                        throw NotOnnx("a field runs past its end");
                    long start = _file.Position;
                    yield return ((int)(tag >> 3), (long)length);
                    _file.Position = start + (long)length;
                    break;
                default:
                    throw NotOnnx($"wire type {tag & 7} at byte {_file.Position}");
            }
        }
    }

    /// <summary>The payload at the current position, which must be short (a name, a key and its value).</summary>
    public byte[] ReadSmall(long length, long maxBytes, string what)
    {
        if (length > maxBytes)
            throw NotOnnx($"{what} of {length} bytes");
        var bytes = new byte[length];
        _file.ReadExactly(bytes);
        return bytes;
    }

    private ulong ReadVarint()
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            int b = _file.ReadByte();
            if (b < 0)
                throw NotOnnx("it ends inside a field");
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }
        throw NotOnnx("a number longer than 10 bytes");
    }

    private void Skip(long length, long end)
    {
        if (length > end - _file.Position)
            throw NotOnnx("a field runs past its end");
        _file.Seek(length, SeekOrigin.Current);
    }

    public InvalidDataException NotOnnx(string why) => new($"'{_file.Name}' is not an ONNX model: {why}");
}
