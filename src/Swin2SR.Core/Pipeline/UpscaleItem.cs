namespace Swin2SR.Core.Pipeline;

/// <summary>One input and where its output goes, decided before any work starts.</summary>
/// <param name="Id">The item's id in the job store (0 outside a job).</param>
/// <param name="MayOverwrite">An existing output may be replaced (-Force, or the job wrote it before).</param>
/// <param name="Interrupted">
/// An earlier attempt began this item and ended without an outcome (its worker was killed, perhaps during this run):
/// it may have left a temp file that a listing of the output's folder taken earlier in the run did not see.
/// </param>
/// <param name="InputLength">The input's size in bytes as listed (0: not known): the progress counts the work in it, as an image's work grows with its pixels.</param>
/// <param name="OutputOwner">Another input of the job whose output, written before, is this item's output file: not to be replaced.</param>
/// <param name="OutputOwnerJob">
/// Where <paramref name="OutputOwner"/> is another job's input, that job: its output is not to be taken for this
/// item's either, while it is there.
/// </param>
/// <param name="ReadAs">
/// The version of the input the pipeline read (null until it is read): what the job records as done, rather than the
/// version listed, where the file was replaced in between.
/// </param>
public sealed record UpscaleItem(string InputPath, string OutputPath, string OutputFormat, long Id = 0, bool MayOverwrite = false, bool Interrupted = false,
    long InputLength = 0, string? OutputOwner = null, Imaging.FileVersion? ReadAs = null, string? OutputOwnerJob = null);
