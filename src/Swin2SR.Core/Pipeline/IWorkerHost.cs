namespace Swin2SR.Core.Pipeline;

/// <summary>What a device worker hands back to its pipeline.</summary>
internal interface IWorkerHost
{
    /// <summary>The last tile of an image has been stitched; blocks while the encoders' queue is full.</summary>
    void Completed(ImageWork work, CancellationToken cancellation);

    /// <summary>The model failed on these images for a reason other than memory.</summary>
    void Failed(ImageWork work, string errorId, string reason, Exception e);

    /// <summary>Something the user should be warned of (smaller batches or tiles after out-of-memory, a failed device).</summary>
    void Note(string message);

    /// <summary>Something worth a verbose line (the batch size chosen).</summary>
    void Detail(string message);
}
