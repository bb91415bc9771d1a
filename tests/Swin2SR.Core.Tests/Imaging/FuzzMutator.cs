using System.Buffers.Binary;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>
/// The mutations of the decoder fuzz test, in the style of AFL's havoc stage: bit flips, interesting bytes
/// and integers (where lengths and sizes live), truncation, deleted, duplicated and foreign slices.
/// </summary>
internal static class FuzzMutator
{
    private static readonly byte[] s_interestingBytes = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x10, 0x40];
    private static readonly uint[] s_interestingInts = [0, 1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF];

    public static byte[] Mutate(byte[] original, Random random, byte[] donor)
    {
        var data = new List<byte>(original);
        int rounds = 1 + random.Next(4);
        for (int r = 0; r < rounds && data.Count > 8; r++)
        {
            int at = random.Next(data.Count);
            switch (random.Next(8))
            {
                case 0:
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    data[at] = s_interestingBytes[random.Next(s_interestingBytes.Length)];
                    break;
                case 2 when at + 4 <= data.Count:
                    var value = new byte[4];
                    uint number = s_interestingInts[random.Next(s_interestingInts.Length)];
                    if (random.Next(2) == 0)
                        BinaryPrimitives.WriteUInt32BigEndian(value, number);
                    else
                        BinaryPrimitives.WriteUInt32LittleEndian(value, number);
                    for (int k = 0; k < 4; k++)
                        data[at + k] = value[k];
                    break;
                case 3:
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 4:
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(64)));
                    break;
                case 5:
                    int length = Math.Min(data.Count - at, 1 + random.Next(128));
                    data.InsertRange(random.Next(data.Count), data.GetRange(at, length));
                    break;
                case 6:
                    int from = random.Next(donor.Length);
                    data.InsertRange(at, donor.AsSpan(from, Math.Min(donor.Length - from, 1 + random.Next(256))).ToArray());
                    break;
                default:
                    for (int k = 0; k < 1 + random.Next(16); k++)
                        data[random.Next(data.Count)] = (byte)random.Next(256);
                    break;
            }
        }
        return [.. data];
    }
}
