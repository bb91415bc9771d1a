namespace Swin2SR.Core.Imaging;

/// <summary>
/// Turns an I/O failure while writing an output into a stable error id and a reason a user can act on: a full
/// disk, a folder that cannot be written, a path too long for the platform, or anything else.
/// </summary>
internal static class OutputFailure
{
    public const string DiskFullId = "DiskFull";
    public const string NotWritableId = "OutputNotWritable";

    // errno values (Linux and macOS agree on these) and Windows HRESULTs for the same conditions.
    private const int NoSpace = 28;
    private const int ReadOnlyFileSystem = 30;
    private const int DiskQuota = 122;
    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);
    private const int WindowsWriteProtected = unchecked((int)0x80070013);

    public static ImageInputException Describe(Exception e, string outputPath) => e switch
    {
        PathTooLongException => new("OutputPathTooLong", ImageErrorKind.WriteFailed, outputPath, $"the output path is too long for this platform ({e.Message})", e),
        UnauthorizedAccessException => NotWritable(e, outputPath),
        IOException { HResult: NoSpace or DiskQuota or WindowsDiskFull or WindowsHandleDiskFull } =>
            new(DiskFullId, ImageErrorKind.WriteFailed, outputPath, $"there is no space left for the output ({e.Message}); nothing was written", e),
        IOException { HResult: ReadOnlyFileSystem or WindowsWriteProtected } => NotWritable(e, outputPath),
        _ => new("OutputWriteFailed", ImageErrorKind.WriteFailed, outputPath, $"the output cannot be written ({e.Message})", e),
    };

    /// <summary>
    /// Whether every output on the same disk would fail as this one did: false for a full disk, true for one
    /// mounted read-only; null for a failure of this output alone (or none).
    /// </summary>
    public static bool? DiskWide(Pipeline.UpscaleError? error) => error switch
    {
        { ErrorId: DiskFullId } => false,
        { ErrorId: NotWritableId, Exception.InnerException: IOException { HResult: ReadOnlyFileSystem or WindowsWriteProtected } } => true,
        _ => null,
    };

    // How two inputs come to share an output, and what to do about it: said by each of the collisions below.
    private const string SameNameCases = "(photo.jpg and photo.png with -Format Png; photo.gif and photo.png, a GIF being written as PNG, as is a file named without an image's extension)";
    private const string SameNameRemedy = "rename one input, or, where -Format made the names meet, use -Format Same so that each output keeps its input's extension";

    public static ImageInputException Collision(Exception e, string outputPath) =>
        new("OutputCollision", ImageErrorKind.WriteFailed, outputPath,
            $"another file was written to this output while the image was upscaled: the output of another input with the same name {SameNameCases}, " +
            $"or of another run writing to the same folder. It was kept, not overwritten; {SameNameRemedy}", e);

    /// <summary>The output path reaches the input file itself, through a symbolic link or a bind mount that the paths do not show (<see cref="SpecialFiles.WouldReplace"/>).</summary>
    public static ImageInputException IsTheInput(string inputPath, string outputPath) =>
        new("OutputIsInput", ImageErrorKind.WriteFailed, outputPath,
            $"this output path is the input file {inputPath} itself, reached another way (a symbolic link to it or its folder, or a bind mount): "
            + "writing it would replace the original, so it was not upscaled. Choose an -OutputDirectory that is not the input's folder");

    /// <param name="input">Named: the message opens with the output's path, which two inputs share, and a log shows no more of the failed one.</param>
    public static ImageInputException SharedInRun(string outputPath, string input) =>
        new("OutputCollision", ImageErrorKind.WriteFailed, outputPath,
            $"'{input}' was not upscaled: another input of this run, written to this same file {SameNameCases}, came first, " +
            $"and its output is not replaced: {SameNameRemedy}");

    /// <summary>An earlier run of the job wrote this output for another input (-Force or a retry would replace it).</summary>
    public static ImageInputException WrittenForAnother(string outputPath, string ownerInput, string input) =>
        new("OutputCollision", ImageErrorKind.WriteFailed, outputPath,
            $"the job wrote this file for another input, '{ownerInput}', whose output has the same name " +
            (SameFileName(ownerInput, input)
                // Only the mirroring meets them: a later run's input outside the first run's common folder (shop/a/sub/y.png, then shop/sub/y.png).
                ? "(a file of this name in another folder: the job mirrors its first run's folders below their common folder, and this input's, " +
                  "outside it, below a wider one, so that the two outputs meet): this one was not upscaled, and that output is not replaced: " +
                  "upscale this input's folder with another -JobName or into another -OutputDirectory"
                : $"{SameNameCases}: this one was not upscaled, and that output is not replaced: {SameNameRemedy}"));

    private static bool SameFileName(string first, string second) =>
        string.Equals(Path.GetFileName(first), Path.GetFileName(second), OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    /// <summary>Another job of the store wrote this output for another file, of the same name in another folder most often.</summary>
    public static ImageInputException WrittenByAnotherJob(string outputPath, string ownerInput, string ownerJob) =>
        new("OutputCollision", ImageErrorKind.WriteFailed, outputPath,
            $"job '{ownerJob}' wrote this file for another input, '{ownerInput}' (a file of the same name in another folder, upscaled into the same " +
            "output folder by another run): this one was not upscaled, and that output is neither replaced nor taken for this input's. " +
            "Upscale the folders together, or each into its own -OutputDirectory, or into one with the same -JobName: the folders " +
            $"below their common folder are mirrored then (Remove-Swin2SRJob '{ownerJob}' forgets its outputs, and lets -Force replace them)");

    private static ImageInputException NotWritable(Exception e, string outputPath) =>
        new(NotWritableId, ImageErrorKind.WriteFailed, outputPath, $"the output folder cannot be written to ({e.Message})", e);
}
