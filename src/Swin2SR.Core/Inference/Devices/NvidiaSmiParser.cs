using System.Globalization;

namespace Swin2SR.Core.Inference.Devices;

/// <summary>
/// Reads the output of <c>nvidia-smi --query-gpu=index,name,memory.total,memory.free,utilization.gpu
/// --format=csv,noheader,nounits</c>: one line per GPU, fields separated by ", ", memory in MiB, utilization in
/// percent, and "[N/A]" or "[Not Supported]" where the driver cannot tell.
/// </summary>
public static class NvidiaSmiParser
{
    /// <summary>The arguments whose output <see cref="Parse"/> reads.</summary>
    public const string Arguments = "--query-gpu=index,name,memory.total,memory.free,utilization.gpu --format=csv,noheader,nounits";

    private const long MiB = 1024 * 1024;

    /// <summary>The GPUs, and one problem per line that is not a GPU record (the caller reports them).</summary>
    public static (IReadOnlyList<GpuInfo> Gpus, IReadOnlyList<string> Problems) Parse(string output)
    {
        var gpus = new List<GpuInfo>();
        var problems = new List<string>();
        foreach (string raw in output.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0)
                continue;
            if (ParseLine(line) is { } gpu)
                gpus.Add(gpu);
            else
                problems.Add($"nvidia-smi printed '{line}', which is not 'index, name, memory.total, memory.free, utilization.gpu'");
        }
        return (gpus, problems);
    }

    private static GpuInfo? ParseLine(string line)
    {
        // The name is the only free text; take the numbers from both ends so a comma in a name cannot shift them.
        string[] fields = line.Split(',', StringSplitOptions.TrimEntries);
        if (fields.Length < 5)
            return null;
        string name = string.Join(", ", fields[1..^3]);
        if (!int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index) || name.Length == 0)
            return null;
        long?[] numbers = new long?[3];
        for (int i = 0; i < 3; i++)
        {
            string field = fields[fields.Length - 3 + i];
            numbers[i] = ReadNumber(field);
            if (numbers[i] is null && !IsNotAvailable(field))
                return null;
        }
        if (numbers[2] > 100)
            return null;
        return new GpuInfo(index, name, numbers[0] * MiB, numbers[1] * MiB, (int?)numbers[2], GpuInfoSource.NvidiaSmi);
    }

    private static long? ReadNumber(string field) =>
        long.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? value : null;

    private static bool IsNotAvailable(string field) => field.StartsWith('[') && field.EndsWith(']');
}
