using System.Buffers.Binary;
using System.Text;

namespace Swin2SR.Bench;

/// <summary>
/// The mutations of <see cref="WriterFuzz"/>: havoc as in the xunit fuzzer (bit flips, interesting values, truncation,
/// slices), and edits that know the formats, where lengths, counts and sizes live: PNG chunks (CRCs fixed, so the
/// edits get past the check), JPEG segments, WebP chunks, GIF and BMP headers, and every TIFF or EXIF directory and
/// ICC tag table found in any file.
/// </summary>
internal static class WriterFuzzMutations
{
    static readonly uint[] Interesting = [0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x1000000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE, 65500, 100000];

    public static (byte[] Data, string Kind) Mutate(byte[] seed, Random r, byte[] donor)
    {
        int pick = r.Next(10);
        var data = (byte[])seed.Clone();
        string kind;
        if (pick < 3) { data = Havoc(data, r, donor); kind = "havoc"; }
        else
        {
            kind = Structured(ref data, r);
            if (r.Next(3) == 0) { data = Havoc(data, r, donor, 1); kind += "+havoc"; }
        }
        return (data, kind);
    }

    static uint Val(Random r) => r.Next(4) == 0 ? (uint)r.Next() : Interesting[r.Next(Interesting.Length)];

    static byte[] Havoc(byte[] original, Random r, byte[] donor, int maxRounds = 4)
    {
        var d = new List<byte>(original);
        int rounds = 1 + r.Next(maxRounds);
        for (int k = 0; k < rounds && d.Count > 8; k++)
        {
            int at = r.Next(d.Count);
            switch (r.Next(7))
            {
                case 0: d[at] ^= (byte)(1 << r.Next(8)); break;
                case 1: d[at] = (byte)Val(r); break;
                case 2 when at + 4 <= d.Count:
                    var v = new byte[4]; if (r.Next(2) == 0) BinaryPrimitives.WriteUInt32BigEndian(v, Val(r)); else BinaryPrimitives.WriteUInt32LittleEndian(v, Val(r));
                    for (int i = 0; i < 4; i++) d[at + i] = v[i]; break;
                case 3: d.RemoveRange(at, d.Count - at); break;
                case 4: d.RemoveRange(at, Math.Min(d.Count - at, 1 + r.Next(64))); break;
                case 5: int len = Math.Min(d.Count - at, 1 + r.Next(256)); d.InsertRange(r.Next(d.Count), d.GetRange(at, len)); break;
                default: int from = r.Next(donor.Length); d.InsertRange(at, donor.AsSpan(from, Math.Min(donor.Length - from, 1 + r.Next(256))).ToArray()); break;
            }
        }
        return [.. d];
    }

    static string Structured(ref byte[] data, Random r)
    {
        // Embedded TIFF structures (EXIF in JPEG/PNG/WebP, the TIFF itself) are edited in every format.
        var tiffs = FindAll(data, "II*\0"u8).Concat(FindAll(data, "MM\0*"u8)).ToList();
        var iccs = FindAll(data, "acsp"u8).Where(p => p >= 36).Select(p => p - 36).ToList();
        int choice = r.Next(10);
        if (choice < 3 && tiffs.Count > 0) return TiffEdit(data, tiffs[r.Next(tiffs.Count)], r);
        if (choice == 3 && iccs.Count > 0) return IccEdit(data, iccs[r.Next(iccs.Count)], r);
        if (data.AsSpan().StartsWith("\x89PNG"u8)) return PngEdit(ref data, r);
        if (data.Length > 2 && data[0] == 0xFF && data[1] == 0xD8) return JpegEdit(ref data, r);
        if (data.AsSpan().StartsWith("RIFF"u8)) return RiffEdit(ref data, r);
        if (data.AsSpan().StartsWith("GIF8"u8)) return GifEdit(data, r);
        if (data.AsSpan().StartsWith("BM"u8)) return BmpEdit(data, r);
        if (tiffs.Count > 0) return TiffEdit(data, tiffs[0], r);
        data = Havoc(data, r, data); return "havoc";
    }

    static List<int> FindAll(byte[] d, ReadOnlySpan<byte> needle)
    {
        var list = new List<int>();
        for (int i = 0; i + needle.Length <= d.Length; i++) if (d.AsSpan(i).StartsWith(needle)) list.Add(i);
        return list;
    }

    // ---- TIFF / EXIF: IFD entry counts, types, counts, offsets, and the dimension values ----
    static string TiffEdit(byte[] d, int b, Random r)
    {
        bool le = d[b] == 'I';
        ushort U16(int at) => le ? BinaryPrimitives.ReadUInt16LittleEndian(d.AsSpan(at)) : BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(at));
        uint U32(int at) => le ? BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(at)) : BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(at));
        void W16(int at, ushort v) { if (at + 2 <= d.Length) { if (le) BinaryPrimitives.WriteUInt16LittleEndian(d.AsSpan(at), v); else BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(at), v); } }
        void W32(int at, uint v) { if (at + 4 <= d.Length) { if (le) BinaryPrimitives.WriteUInt32LittleEndian(d.AsSpan(at), v); else BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(at), v); } }
        // Collect every entry of every directory reachable (IFD chain + Exif/GPS/Interop sub-IFDs).
        var entries = new List<(int At, ushort Tag)>(); var dirs = new List<int>();
        var queue = new Queue<uint>(); if (b + 8 <= d.Length) queue.Enqueue(U32(b + 4));
        var seen = new HashSet<uint>();
        while (queue.Count > 0 && dirs.Count < 32)
        {
            uint off = queue.Dequeue(); if (off == 0 || !seen.Add(off) || b + off + 2 > d.Length) continue;
            int at = b + (int)off; dirs.Add(at); int n = U16(at);
            for (int i = 0; i < n && at + 2 + 12 * i + 12 <= d.Length; i++)
            {
                int e = at + 2 + 12 * i; ushort tag = U16(e); entries.Add((e, tag));
                if (tag is 0x8769 or 0x8825 or 0xA005 or 330) queue.Enqueue(U32(e + 8));
            }
            int next = at + 2 + 12 * n; if (next + 4 <= d.Length) queue.Enqueue(U32(next));
        }
        if (entries.Count == 0) return "tiff-none";
        var (ea, etag) = entries[r.Next(entries.Count)];
        switch (r.Next(7))
        {
            case 0: int dir = dirs[r.Next(dirs.Count)]; W16(dir, r.Next(2) == 0 ? (ushort)Val(r) : (ushort)(U16(dir) + 1 + r.Next(4))); return "tiff-dircount";
            case 1: W16(ea + 2, (ushort)r.Next(20)); return $"tiff-type({etag})";
            case 2: W32(ea + 4, Val(r)); return $"tiff-count({etag})";
            case 3: W32(ea + 8, Val(r)); return $"tiff-value({etag})";
            case 4: // a size tag: width/length/bits/samples/rows per strip, EXIF pixel dimensions
                var sizes = entries.Where(e => e.Tag is 256 or 257 or 258 or 277 or 278 or 0xA002 or 0xA003 or 273 or 279 or 0x0112 or 0x0201 or 0x0202).ToList();
                if (sizes.Count == 0) return "tiff-nosize";
                var (sa, st) = sizes[r.Next(sizes.Count)]; uint v = Val(r);
                if (U16(sa + 2) == 3) W16(sa + 8, (ushort)v); else W32(sa + 8, v); return $"tiff-size({st})";
            case 5: W16(ea, (ushort)new[] { 0x8769, 0x8825, 0xA005, 330, 0x0201, 0x0202, 273, 279, 324, 325, 0x927C, 0x8773, 0x02BC, 0x83BB, 320 }[r.Next(15)]); return "tiff-retag";
            default: // the first directory's next-directory offset: to another directory (a loop) or anywhere
                W32(dirs[0] + 2 + 12 * U16(dirs[0]), r.Next(2) == 0 ? (uint)(dirs[r.Next(dirs.Count)] - b) : Val(r));
                return "tiff-nextifd";
        }
    }

    // ---- ICC: header size, tag count, a tag's offset and size ----
    static string IccEdit(byte[] d, int p, Random r)
    {
        void W(int at, uint v) { if (at + 4 <= d.Length && at >= 0) BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(at), v); }
        switch (r.Next(4))
        {
            case 0: W(p, Val(r)); return "icc-size";
            case 1: W(p + 128, Val(r)); return "icc-tagcount";
            case 2: W(p + 132 + 12 * r.Next(8) + 4, Val(r)); return "icc-tagoffset";
            default: W(p + 132 + 12 * r.Next(8) + 8, Val(r)); return "icc-tagsize";
        }
    }

    // ---- PNG: chunk lengths, duplicated/dropped chunks, IHDR and acTL/fcTL fields, with CRCs fixed so the edits reach past the CRC check ----
    static List<(int At, int Len, string Type)> PngChunks(byte[] d)
    {
        var list = new List<(int, int, string)>(); int at = 8;
        while (at + 12 <= d.Length)
        {
            int len = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(at)), int.MaxValue);
            string type = Encoding.ASCII.GetString(d, at + 4, 4); list.Add((at, len, type));
            if (len > d.Length - at - 12) break; at += 12 + len;
        }
        return list;
    }
    static uint Crc(ReadOnlySpan<byte> s)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte b in s) { c ^= b; for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1; }
        return ~c;
    }
    static void FixCrc(byte[] d, int at, int len) { if (at + 12 + len <= d.Length) BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(at + 8 + len), Crc(d.AsSpan(at + 4, 4 + len))); }

    static string PngEdit(ref byte[] d, Random r)
    {
        var chunks = PngChunks(d); if (chunks.Count == 0) return "png-none";
        var c = chunks[r.Next(chunks.Count)];
        switch (r.Next(7))
        {
            case 0: BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(c.At), Val(r)); return $"png-len({c.Type})";
            case 1 when c.At + 12 + c.Len <= d.Length: // duplicate a chunk (a second IHDR, acTL, fcTL, iCCP, eXIf ...)
                var copy = d.AsSpan(c.At, 12 + c.Len).ToArray(); var at2 = chunks[r.Next(chunks.Count)].At;
                d = [.. d.AsSpan(0, at2), .. copy, .. d.AsSpan(at2)]; return $"png-dup({c.Type})";
            case 2 when c.At + 12 + c.Len <= d.Length && c.Type != "IHDR": d = [.. d.AsSpan(0, c.At), .. d.AsSpan(c.At + 12 + c.Len)]; return $"png-drop({c.Type})";
            case 3: // IHDR width/height/depth/colour/interlace
                var h = chunks[0]; int f = r.Next(4) switch { 0 => 8, 1 => 12, 2 => 16, _ => 17 + r.Next(4) };
                if (f < 16) BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(h.At + f), Val(r)); else d[h.At + f] = (byte)Val(r);
                FixCrc(d, h.At, h.Len); return "png-ihdr";
            case 4 when c.Len >= 4 && c.At + 12 + c.Len <= d.Length: // a 32-bit field inside the chunk (acTL frames, fcTL sizes/offsets, iCCP, eXIf), CRC fixed
                int o = c.At + 8 + 4 * r.Next(c.Len / 4); BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(o), Val(r)); FixCrc(d, c.At, c.Len); return $"png-field({c.Type})";
            case 5 when c.Len > 0 && c.At + 12 + c.Len <= d.Length: d[c.At + 8 + r.Next(c.Len)] ^= (byte)(1 << r.Next(8)); FixCrc(d, c.At, c.Len); return $"png-flip({c.Type})";
            default: d = d[..(c.At + r.Next(12 + Math.Min(c.Len, d.Length - c.At - 12)))]; return $"png-cut({c.Type})";
        }
    }

    // ---- JPEG: segment lengths, duplicated segments, SOF sizes and component counts, DHT/DQT/SOS fields ----
    static string JpegEdit(ref byte[] d, Random r)
    {
        var segs = new List<(int At, int Len, byte M)>(); int at = 2;
        while (at + 4 <= d.Length && d[at] == 0xFF)
        {
            byte m = d[at + 1]; int len = BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(at + 2)); segs.Add((at, len, m));
            if (m == 0xDA) break; at += 2 + len;
        }
        if (segs.Count == 0) return "jpeg-none";
        var s = segs[r.Next(segs.Count)];
        switch (r.Next(6))
        {
            case 0: BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(s.At + 2), (ushort)Val(r)); return $"jpeg-len({s.M:X2})";
            case 1 when s.At + 2 + s.Len <= d.Length:
                var copy = d.AsSpan(s.At, 2 + s.Len).ToArray(); var at2 = segs[r.Next(segs.Count)].At;
                d = [.. d.AsSpan(0, at2), .. copy, .. d.AsSpan(at2)]; return $"jpeg-dup({s.M:X2})";
            case 2:
                var sof = segs.FirstOrDefault(x => x.M is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC);
                if (sof.At == 0) return "jpeg-nosof";
                int f = r.Next(4) switch { 0 => 5, 1 => 7, 2 => 9, _ => 10 + r.Next(6) };
                if (f < 9) BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(sof.At + f), (ushort)Val(r)); else if (sof.At + f < d.Length) d[sof.At + f] = (byte)Val(r);
                return "jpeg-sof";
            case 3 when s.At + 2 + s.Len <= d.Length && s.Len > 2: d[s.At + 4 + r.Next(s.Len - 2)] = (byte)Val(r); return $"jpeg-byte({s.M:X2})";
            case 4 when s.At + 2 + s.Len <= d.Length && s.Len > 2: d = [.. d.AsSpan(0, s.At), .. d.AsSpan(s.At + 2 + s.Len)]; return $"jpeg-drop({s.M:X2})";
            default: d = d[..Math.Max(4, s.At + r.Next(Math.Max(1, Math.Min(s.Len + 64, d.Length - s.At))))]; return $"jpeg-cut({s.M:X2})";
        }
    }

    // ---- WebP: RIFF size, chunk sizes, duplicated chunks, VP8X flags and canvas, ANIM/ANMF fields ----
    static string RiffEdit(ref byte[] d, Random r)
    {
        var chunks = new List<(int At, int Len, string Type)>(); int at = 12;
        while (at + 8 <= d.Length)
        {
            int len = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(at + 4)), int.MaxValue); chunks.Add((at, len, Encoding.ASCII.GetString(d, at, 4)));
            if (len > d.Length - at - 8) break; at += 8 + len + (len & 1);
        }
        if (chunks.Count == 0) return "webp-none";
        var c = chunks[r.Next(chunks.Count)];
        switch (r.Next(6))
        {
            case 0: BinaryPrimitives.WriteUInt32LittleEndian(d.AsSpan(4), Val(r)); return "webp-riff";
            case 1: BinaryPrimitives.WriteUInt32LittleEndian(d.AsSpan(c.At + 4), Val(r)); return $"webp-len({c.Type})";
            case 2 when c.At + 8 + c.Len <= d.Length:
                var copy = d.AsSpan(c.At, 8 + c.Len + (c.Len & 1)).ToArray(); int at2 = chunks[r.Next(chunks.Count)].At;
                if (copy.Length > 8 + c.Len && c.At + copy.Length > d.Length) copy = copy[..(8 + c.Len)];
                d = [.. d.AsSpan(0, at2), .. copy, .. d.AsSpan(at2)]; BinaryPrimitives.WriteUInt32LittleEndian(d.AsSpan(4), (uint)(d.Length - 8)); return $"webp-dup({c.Type})";
            case 3 when c.Len >= 4: // a field inside the chunk (VP8X canvas, ANMF offsets/sizes, VP8/VP8L headers)
                int o = c.At + 8 + r.Next(Math.Min(c.Len, 24) - 2);
                if (o + 3 <= d.Length) { uint v = Val(r); d[o] = (byte)v; d[o + 1] = (byte)(v >> 8); d[o + 2] = (byte)(v >> 16); }
                return $"webp-field({c.Type})";
            case 4 when c.At + 8 + c.Len <= d.Length && chunks.Count > 1:
                d = [.. d.AsSpan(0, c.At), .. d.AsSpan(Math.Min(d.Length, c.At + 8 + c.Len + (c.Len & 1)))]; BinaryPrimitives.WriteUInt32LittleEndian(d.AsSpan(4), (uint)(d.Length - 8)); return $"webp-drop({c.Type})";
            default: d = d[..Math.Max(12, c.At + r.Next(Math.Max(1, Math.Min(c.Len + 8, d.Length - c.At))))]; return $"webp-cut({c.Type})";
        }
    }

    // ---- GIF: logical screen, image descriptors, LZW code size, extension block lengths ----
    static string GifEdit(byte[] d, Random r)
    {
        var descriptors = FindAll(d, [0x00, 0x2C]).Select(p => p + 1).Where(p => p + 10 <= d.Length).ToList();
        switch (r.Next(4))
        {
            case 0: BinaryPrimitives.WriteUInt16LittleEndian(d.AsSpan(6 + 2 * r.Next(2)), (ushort)Val(r)); return "gif-screen";
            case 1 when descriptors.Count > 0: var p = descriptors[r.Next(descriptors.Count)]; BinaryPrimitives.WriteUInt16LittleEndian(d.AsSpan(p + 1 + 2 * r.Next(4)), (ushort)Val(r)); return "gif-frame";
            case 2 when descriptors.Count > 0: var q = descriptors[r.Next(descriptors.Count)]; if (q + 10 < d.Length) d[q + 10] = (byte)r.Next(256); if (q + 9 < d.Length) d[q + 9] ^= (byte)(1 << r.Next(8)); return "gif-lzw/flags";
            default: d[10] ^= (byte)(1 << r.Next(8)); return "gif-flags";
        }
    }

    // ---- BMP: header sizes, dimensions, bit count, compression, palette size, masks ----
    static string BmpEdit(byte[] d, Random r)
    {
        int[] fields = [2, 10, 14, 18, 22, 28, 30, 34, 38, 42, 46, 50, 54, 58, 62];
        int f = fields[r.Next(fields.Length)]; if (f + 4 > d.Length) return "bmp-none";
        if (f == 28) BinaryPrimitives.WriteUInt16LittleEndian(d.AsSpan(f), (ushort)new[] { 0, 1, 2, 4, 8, 16, 24, 32, 64, 0xFFFF }[r.Next(10)]);
        else BinaryPrimitives.WriteUInt32LittleEndian(d.AsSpan(f), Val(r));
        return $"bmp-field({f})";
    }
}
