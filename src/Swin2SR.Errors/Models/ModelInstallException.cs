namespace Swin2SR.Core.Models;

/// <summary>Why an installation failed; each has its own error id in the module.</summary>
public enum ModelInstallError
{
    /// <summary>The server cannot be reached at all: no network, DNS failure, connection refused.</summary>
    Offline,

    /// <summary>The server has no file at the address (HTTP 404 or 410).</summary>
    NotFound,

    /// <summary>Any other refusal or malformed answer from the server.</summary>
    HttpError,

    /// <summary>The connection broke during the download, or the server answered with a passing error (5xx, 429, 408), on every retry.</summary>
    ConnectionDropped,

    /// <summary>The file's SHA-256 is not the one expected.</summary>
    HashMismatch,

    /// <summary>Nobody states what the file's SHA-256 should be, so it cannot be verified.</summary>
    HashUnavailable,

    /// <summary>The model folder's disk is full.</summary>
    DiskFull,

    /// <summary>Any other failure to write into the model folder.</summary>
    WriteFailed,

    /// <summary>Another installation (in this or another process) is downloading the same file right now.</summary>
    InProgress,

    /// <summary>
    /// A weights file the model's graph names (ONNX external data) cannot be installed: its name is a path out of
    /// the model's folder, or the model file's own, or the file is shorter than the graph reads.
    /// </summary>
    DataFileRefused,
}

/// <summary>An installation that failed; no model file is left in place of the model.</summary>
public sealed class ModelInstallException : Exception
{
    public ModelInstallException(ModelInstallError error, string model, string reason, Exception? inner = null)
        : base($"Cannot install model '{model}': {reason}", inner)
    {
        Error = error;
        Model = model;
        Reason = reason;
    }

    public ModelInstallError Error { get; }

    public string Model { get; }

    /// <summary>The message without the model name, for wrapping with more context.</summary>
    public string Reason { get; }
}
