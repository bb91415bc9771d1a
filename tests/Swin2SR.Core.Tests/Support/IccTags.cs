using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Swin2SR.Core.Tests.Support;

/// <summary>
/// Reads the tags of an ICC profile a colour-managed reader uses for an RGB display profile, by the ICC.1 layout
/// (ImageSharp 2.1 parses them but keeps the entry types internal): the header's class and colour space, a
/// description, a colorant's XYZ, a tone curve's gamma.
/// </summary>
internal static class IccTags
{
    /// <summary>The device class and data colour space signatures ("mntr", "RGB ").</summary>
    public static (string Class, string ColourSpace) Kind(byte[] profile) =>
        (Encoding.ASCII.GetString(profile, 12, 4), Encoding.ASCII.GetString(profile, 16, 4));

    /// <summary>A v2 textDescriptionType's ASCII text.</summary>
    public static string Description(byte[] profile)
    {
        var data = Data(profile, "desc");
        int length = (int)BinaryPrimitives.ReadUInt32BigEndian(data[8..]);
        return Encoding.ASCII.GetString(data.Slice(12, length)).TrimEnd('\0');
    }

    /// <summary>An XYZType's one value, from its three s15Fixed16Numbers.</summary>
    public static Vector3 Xyz(byte[] profile, string signature)
    {
        var data = Data(profile, signature);
        return new Vector3(Number(data[8..]), Number(data[12..]), Number(data[16..]));
    }

    private static float Number(ReadOnlySpan<byte> s15Fixed16) => BinaryPrimitives.ReadInt32BigEndian(s15Fixed16) / 65536f;

    /// <summary>A curveType of one entry's gamma (a u8Fixed8Number); fails for a curve of another kind.</summary>
    public static float Gamma(byte[] profile, string signature)
    {
        var data = Data(profile, signature);
        if (data[..4].SequenceEqual("curv"u8) is false || BinaryPrimitives.ReadUInt32BigEndian(data[8..]) != 1)
            throw new Xunit.Sdk.XunitException($"{signature} is not a pure gamma");
        return BinaryPrimitives.ReadUInt16BigEndian(data[12..]) / 256f;
    }

    private static ReadOnlySpan<byte> Data(byte[] profile, string signature)
    {
        int count = (int)BinaryPrimitives.ReadUInt32BigEndian(profile.AsSpan(128));
        for (int i = 0; i < count; i++)
        {
            var entry = profile.AsSpan(132 + 12 * i, 12);
            if (entry[..4].SequenceEqual(Encoding.ASCII.GetBytes(signature)))
                return profile.AsSpan((int)BinaryPrimitives.ReadUInt32BigEndian(entry[4..]), (int)BinaryPrimitives.ReadUInt32BigEndian(entry[8..]));
        }
        throw new Xunit.Sdk.XunitException($"the profile has no {signature} tag");
    }
}
