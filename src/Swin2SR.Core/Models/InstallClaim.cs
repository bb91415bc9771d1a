namespace Swin2SR.Core.Models;

/// <summary>
/// One installation's claim on a model of a store, across processes: a hidden <c>.name.lock</c> file held open
/// exclusively (flock on Unix, the sharing mode on Windows) from before the download until the model is in
/// place, and deleted when released. The partial file's own lock covers only its writing: without this claim, two
/// installations that both found it complete (or one that found it while the other was verifying it) would both
/// verify and rename it, and the second would fail for the file the first had just installed.
/// </summary>
internal sealed class InstallClaim : IDisposable
{
    private readonly FileStream _file;

    private InstallClaim(FileStream file) => _file = file;

    public static InstallClaim Take(string model, string path)
    {
        try
        {
            return new InstallClaim(new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.DeleteOnClose));
        }
        catch (IOException e) when (FileLock.IsHeldByAnother(e))
        {
            throw new ModelInstallException(ModelInstallError.InProgress, model,
                $"another installation of this model is running right now (it holds '{path}'); wait for it to finish", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelInstallException(ModelInstallError.WriteFailed, model, $"cannot write '{path}': {e.Message}", e);
        }
    }

    public void Dispose() => _file.Dispose();
}
