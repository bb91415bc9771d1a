using System.Globalization;

namespace Swin2SR.Bench;

/// <summary>"--name value" options and plain arguments of a benchmark's command line.</summary>
internal sealed class BenchOptions
{
    private readonly Dictionary<string, string> _options = new(StringComparer.OrdinalIgnoreCase);

    private BenchOptions(IReadOnlyList<string> arguments) => Arguments = arguments;

    public IReadOnlyList<string> Arguments { get; }

    public static BenchOptions Parse(string[] args)
    {
        var arguments = new List<string>();
        var options = new BenchOptions(arguments);
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                arguments.Add(args[i]);
                continue;
            }
            if (i + 1 >= args.Length)
                throw new ArgumentException($"{args[i]} needs a value");
            options._options[args[i][2..]] = args[++i]; // the last of a repeated option counts
        }
        return options;
    }

    public string? Text(string name) => _options.TryGetValue(name, out var value) ? value : null;

    public int Int(string name, int fallback) => Text(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) => Text(name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

    /// <summary>"1,2,4" as numbers.</summary>
    public IReadOnlyList<int>? Ints(string name) =>
        Text(name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToList();
}
