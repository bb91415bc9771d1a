using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Swin2SR.Core.Imaging;

/// <summary>
/// An ICC v2 display profile (matrix and tone curves) of Adobe RGB (1998), made here from the colour space's published
/// definition (Adobe RGB (1998) Color Image Encoding, 2005): primaries red (0.64, 0.33), green (0.21, 0.71), blue
/// (0.15, 0.06), white D65 (0.3127, 0.3290), and on each channel a gamma of 563/256 (2.19921875). It is not Adobe's
/// profile file, which is licensed, but it holds the same colours: its colorants are the primaries' XYZ adapted from
/// D65 to the profile connection space's D50 by the Bradford transform, as Adobe's are (red 0.6097 0.3111 0.0195).
/// </summary>
internal static class AdobeRgbProfile
{
    public const string Description = "Compatible with Adobe RGB (1998)";

    /// <summary>The gamma as ICC's u8Fixed8Number stores it: 563/256.</summary>
    private const ushort Gamma = 563;

    private const int HeaderLength = 128, TagEntryLength = 12;

    private static readonly Vector2 s_red = new(0.64f, 0.33f), s_green = new(0.21f, 0.71f), s_blue = new(0.15f, 0.06f), s_white = new(0.3127f, 0.3290f);

    /// <summary>The profile connection space's illuminant, D50, as ICC.1 gives it.</summary>
    private static readonly Vector3 s_d50 = new(0.9642f, 1f, 0.8249f);

    private static readonly byte[] s_profile = Build();

    /// <summary>The profile's bytes (a copy: the caller may keep them).</summary>
    public static byte[] Create() => s_profile.ToArray();

    /// <summary>The red, green and blue colorants' XYZ under D50, as the rows of a matrix (row vectors: rgb * M = XYZ).</summary>
    internal static Matrix4x4 Colorants()
    {
        var primaries = Rows(Xyz(s_red), Xyz(s_green), Xyz(s_blue));
        Matrix4x4.Invert(primaries, out var inverse);
        // Each primary's share of white: the rows scaled so that (1, 1, 1) is D65.
        var shares = Vector3.Transform(Xyz(s_white), inverse);
        return Matrix4x4.CreateScale(shares) * primaries * Adaptation(Xyz(s_white), s_d50);
    }

    /// <summary>The Bradford chromatic adaptation from <paramref name="from"/> white to <paramref name="to"/>, on row vectors.</summary>
    private static Matrix4x4 Adaptation(Vector3 from, Vector3 to)
    {
        var cone = Matrix4x4.Transpose(Rows(new(0.8951f, 0.2664f, -0.1614f), new(-0.7502f, 1.7135f, 0.0367f), new(0.0389f, -0.0685f, 1.0296f)));
        Matrix4x4.Invert(cone, out var back);
        return cone * Matrix4x4.CreateScale(Vector3.Transform(to, cone) / Vector3.Transform(from, cone)) * back;
    }

    /// <summary>The XYZ of chromaticity <paramref name="xy"/> at a luminance Y of 1.</summary>
    private static Vector3 Xyz(Vector2 xy) => new(xy.X / xy.Y, 1f, (1f - xy.X - xy.Y) / xy.Y);

    private static Matrix4x4 Rows(Vector3 a, Vector3 b, Vector3 c) => new(a.X, a.Y, a.Z, 0, b.X, b.Y, b.Z, 0, c.X, c.Y, c.Z, 0, 0, 0, 0, 1);

    /// <summary>
    /// The header, the tag table and the tags a v2 RGB display profile requires (ICC.1:2001-04, 6.3.1.2). The media
    /// white point is D65, as v2 display profiles (Adobe's among them) state it; the three channels share one curve.
    /// </summary>
    private static byte[] Build()
    {
        var colorants = Colorants();
        byte[] curve = Curve();
        (string Signature, byte[] Data)[] tags =
        [
            ("desc", TextDescription(Description)),
            ("cprt", Text("No copyright, use freely")),
            ("wtpt", XyzData(Xyz(s_white))),
            ("rXYZ", XyzData(new(colorants.M11, colorants.M12, colorants.M13))),
            ("gXYZ", XyzData(new(colorants.M21, colorants.M22, colorants.M23))),
            ("bXYZ", XyzData(new(colorants.M31, colorants.M32, colorants.M33))),
            ("rTRC", curve),
            ("gTRC", curve),
            ("bTRC", curve),
        ];
        using var data = new MemoryStream();
        var table = new byte[4 + tags.Length * TagEntryLength];
        BinaryPrimitives.WriteUInt32BigEndian(table, (uint)tags.Length);
        var written = new Dictionary<byte[], int>(ReferenceEqualityComparer.Instance);
        int start = HeaderLength + table.Length;
        for (int i = 0; i < tags.Length; i++)
        {
            var (signature, bytes) = tags[i];
            if (!written.TryGetValue(bytes, out int offset))
            {
                written[bytes] = offset = start + (int)data.Length;
                data.Write(bytes);
                // Each tag's data starts on a four-byte boundary.
                data.Write(new byte[(4 - bytes.Length % 4) % 4]);
            }
            var entry = table.AsSpan(4 + i * TagEntryLength);
            Encoding.ASCII.GetBytes(signature, entry);
            BinaryPrimitives.WriteUInt32BigEndian(entry[4..], (uint)offset);
            BinaryPrimitives.WriteUInt32BigEndian(entry[8..], (uint)bytes.Length);
        }
        return [.. Header(start + (int)data.Length), .. table, .. data.ToArray()];
    }

    private static byte[] Header(int size)
    {
        var header = new byte[HeaderLength];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)size);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), 0x02100000); // version 2.1
        "mntrRGB XYZ "u8.CopyTo(header.AsSpan(12));
        // A fixed creation date (2024-01-01), so that every output carries the same bytes.
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(24), 2024);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(26), 1);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(28), 1);
        "acsp"u8.CopyTo(header.AsSpan(36));
        XyzNumbers(s_d50).CopyTo(header, 68);
        return header;
    }

    private static byte[] XyzData(Vector3 xyz) => [.. "XYZ "u8, 0, 0, 0, 0, .. XyzNumbers(xyz)];

    /// <summary>Three s15Fixed16Numbers.</summary>
    private static byte[] XyzNumbers(Vector3 xyz)
    {
        var numbers = new byte[12];
        for (int i = 0; i < 3; i++)
            BinaryPrimitives.WriteInt32BigEndian(numbers.AsSpan(4 * i), (int)Math.Round(xyz[i] * 65536.0));
        return numbers;
    }

    /// <summary>A curveType of one entry: a pure gamma.</summary>
    private static byte[] Curve() => [.. "curv"u8, 0, 0, 0, 0, 0, 0, 0, 1, Gamma >> 8, Gamma & 0xFF];

    private static byte[] Text(string text) => [.. "text"u8, 0, 0, 0, 0, .. Encoding.ASCII.GetBytes(text), 0];

    /// <summary>A v2 textDescriptionType: the ASCII description, then empty Unicode and ScriptCode descriptions (67 bytes for the latter).</summary>
    private static byte[] TextDescription(string text)
    {
        var ascii = Encoding.ASCII.GetBytes(text + "\0");
        var count = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(count, (uint)ascii.Length);
        return [.. "desc"u8, 0, 0, 0, 0, .. count, .. ascii, .. new byte[4 + 4 + 2 + 1 + 67]];
    }
}
