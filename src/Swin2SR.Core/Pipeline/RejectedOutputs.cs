using System.Security.Cryptography;
using System.Text;
using Swin2SR.Core.Imaging;

namespace Swin2SR.Core.Pipeline;

/// <summary>
/// Outputs the quality gate turned down: the image fails with QualityCheckFailed, and with -KeepRejected the
/// output is written to that folder for review, as name-&lt;hash of the input path&gt;.ext so that images of the
/// same name from different folders do not overwrite each other.
/// </summary>
internal sealed class RejectedOutputs(ImageWriter writer, string? folder)
{
    public ImageInputException Reject(UpscaledImage image, UpscaleItem item, string failure, CancellationToken cancellation)
    {
        if (folder is null)
            return Failure(item, failure);
        string kept = Path.Combine(folder, KeptName(item));
        try
        {
            writer.Write(image, item.OutputFormat, kept, cancellation);
            return Failure(item, $"{failure}; the rejected output is kept for review as {kept}");
        }
        catch (ImageInputException e)
        {
            return Failure(item, $"{failure}; the rejected output could not be kept ({e.Reason})");
        }
    }

    private static ImageInputException Failure(UpscaleItem item, string reason) =>
        new("QualityCheckFailed", ImageErrorKind.InferenceFailed, item.InputPath, reason);

    private static string KeptName(UpscaleItem item)
    {
        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(item.InputPath)))[..8].ToLowerInvariant();
        return $"{Path.GetFileNameWithoutExtension(item.OutputPath)}-{hash}{Path.GetExtension(item.OutputPath)}";
    }
}
