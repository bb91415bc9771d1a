using System.Management.Automation;
using System.Text.RegularExpressions;

namespace Swin2SR.PowerShell.Commands;

/// <summary>The reference an image is compared with, or why there is none (a warning, or an error record).</summary>
internal sealed record ReferenceMatch(string? Reference, string? Warning = null, ErrorRecord? Error = null);

/// <summary>The references no image was compared with: one warning that sums them up, and a verbose line for each.</summary>
internal sealed record UnusedReferences(string Warning, IReadOnlyList<string> Details);

/// <summary>
/// Pairs each image with its reference: one reference file for every image, or, for a reference folder, the image in
/// it with the same base name (the name without its extension, case-insensitive), so that out/baby.png is compared
/// with HR/baby.png and a JPEG with the PNG it came from (of several of that base name, the one of the image's own
/// file name). A name with no such partner may end in the scale, as the
/// super-resolution datasets name their low-resolution images (DIV2K's 0001x4.png, Set5's babyx4.png, and the
/// outputs made from them): then the name without it is tried. Remembers which references were used, so that the
/// caller can report those no image matched.
/// </summary>
internal sealed class ReferenceMatcher
{
    /// <summary>How many unused references the warning names; -Verbose lists every one.</summary>
    private const int NamedUnused = 5;

    private static readonly Regex s_scaleSuffix = new(@"^(?<name>.+?)[_-]?x\d{1,2}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private readonly string? _file;
    private readonly string? _folder;
    private readonly Dictionary<string, List<string>> _byBaseName = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    /// <summary>The first image matched with each reference of the folder, to tell when an image of another folder meets it; null once told.</summary>
    private readonly Dictionary<string, string?> _firstImage = new(StringComparer.Ordinal);

    private ReferenceMatcher(string? file, string? folder)
    {
        _file = file;
        _folder = folder;
    }

    public static ReferenceMatcher ForFile(string file) => new(file, null);

    public static ReferenceMatcher ForFolder(string folder, IEnumerable<string> images)
    {
        var matcher = new ReferenceMatcher(null, folder);
        foreach (var image in images)
        {
            string name = BaseName(image);
            if (!matcher._byBaseName.TryGetValue(name, out var list))
                matcher._byBaseName[name] = list = [];
            list.Add(image);
        }
        return matcher;
    }

    /// <summary>
    /// The name without its extension, its accents composed (NFC): a name typed or written on Windows and Linux is
    /// composed, one written on a Mac (its files copied off it) is decomposed, é as e and a combining accent, and the two
    /// look the same while no ordinal comparison takes them for one.
    /// </summary>
    private static string BaseName(string path) => Path.GetFileNameWithoutExtension(path).Normalize(System.Text.NormalizationForm.FormC);

    public ReferenceMatch Match(string image)
    {
        if (_file is not null)
            return new ReferenceMatch(_file);
        string name = BaseName(image);
        string? original = s_scaleSuffix.Match(name) is { Success: true } marked ? marked.Groups["name"].Value : null;
        string matched = name;
        if (!_byBaseName.TryGetValue(name, out var candidates))
        {
            if (original is null || !_byBaseName.TryGetValue(original, out candidates))
            {
                string names = original is null ? $"'{name}'" : $"'{name}' or '{original}'";
                return new ReferenceMatch(null, Warning: $"No reference for '{image}': the folder '{_folder}' has no image named {names} (with any extension).");
            }
            matched = original;
        }
        // photo.jpg and photo.png beside each other in the references, and their outputs (-Format Same keeps each name):
        // each output is compared with the reference of its own file name, not refused as ambiguous.
        if (candidates.Count > 1 && SameFileName(candidates, Path.GetFileName(image)) is { } same)
            candidates = [same];
        if (candidates.Count > 1)
        {
            // Matched, if ambiguously: the error names them, so the summary of unused references must not say again
            // that no input has their name.
            _used.UnionWith(candidates);
            return new ReferenceMatch(null, Error: new ErrorRecord(
                new InvalidOperationException($"{image}: the reference folder '{_folder}' has more than one image named '{matched}' ({string.Join(", ", candidates.Select(Path.GetFileName))}); compare with -Reference set to one of them."),
                "AmbiguousReference", ErrorCategory.InvalidArgument, image));
        }
        _used.Add(candidates[0]);
        return new ReferenceMatch(candidates[0], Warning: OtherFolderWarning(image, candidates[0]));
    }

    /// <summary>
    /// The candidate named exactly <paramref name="fileName"/>; else the only one named so but for case (Photo.JPG for
    /// photo.jpg); null when none is, or several are (Case.png and case.png, on a file system that tells case).
    /// </summary>
    private static string? SameFileName(List<string> candidates, string fileName) =>
        candidates.FirstOrDefault(c => string.Equals(Path.GetFileName(c), fileName, StringComparison.Ordinal))
        ?? (candidates.Where(c => string.Equals(Path.GetFileName(c), fileName, StringComparison.OrdinalIgnoreCase)).ToList() is [var only] ? only : null);

    /// <summary>
    /// Said once a reference is matched with images of two folders: out/a/x.png and out/b/x.png, outputs of a tree of
    /// folders, are likely two pictures, while the reference folder holds one x (a JPEG and a PNG of one folder are
    /// taken as the same picture, as the matching by base name intends). Both are still measured; said once for each
    /// reference, however many folders meet it.
    /// </summary>
    private string? OtherFolderWarning(string image, string reference)
    {
        if (_firstImage.TryAdd(reference, image))
            return null;
        string? first = _firstImage[reference];
        if (first is null || string.Equals(Path.GetDirectoryName(first), Path.GetDirectoryName(image), StringComparison.Ordinal))
            return null;
        _firstImage[reference] = null;
        return $"'{first}' and '{image}' are both compared with '{reference}': the reference folder '{_folder}' holds one image of " +
            "their name, and images of that name in two folders are likely two pictures. Measure each folder with -Reference set to its own references.";
    }

    /// <summary>
    /// The reference images no image was matched with, or null when there are none (always for a single reference
    /// file). One warning names how many and the first few: checking one image against a folder of 10,000
    /// references must not give 9,999 warnings.
    /// </summary>
    public UnusedReferences? Unused()
    {
        var all = _byBaseName.Values.SelectMany(c => c).ToList();
        var unused = all.Where(r => !_used.Contains(r)).Order(StringComparer.Ordinal).ToList();
        if (unused.Count == 0)
            return null;
        string examples = string.Join(", ", unused.Take(NamedUnused).Select(Path.GetFileName));
        string rest = unused.Count > NamedUnused ? $" and {unused.Count - NamedUnused} more (-Verbose lists them all)" : "";
        return new UnusedReferences(
            $"No image was compared with {unused.Count} of the {all.Count} reference images in '{_folder}' (no input has the same name): {examples}{rest}.",
            unused.Select(r => $"No image was compared with the reference '{r}'.").ToList());
    }
}
