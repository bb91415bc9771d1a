namespace Swin2SR.Core.Jobs;

/// <summary>The job store cannot be used (corrupt, locked, read-only, unreachable) or a job does not exist.</summary>
public sealed class JobStoreException : Exception
{
    public JobStoreException(string message, Exception? inner = null, string errorId = "JobStoreUnavailable")
        : base(message, inner)
    {
        ErrorId = errorId;
    }

    public string ErrorId { get; }
}
