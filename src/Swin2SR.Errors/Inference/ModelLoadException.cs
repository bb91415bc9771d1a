namespace Swin2SR.Core.Inference;

/// <summary>The model cannot be used: a setup error that stops the run (every image would fail alike).</summary>
public sealed class ModelLoadException : Exception
{
    public ModelLoadException(string path, string reason, Exception? inner = null)
        : base($"Model '{path}': {reason}", inner)
    {
        ModelPath = path;
    }

    public string ModelPath { get; }

    /// <summary>What to do when it is more particular than giving another model export (the error record's recommended action); null otherwise.</summary>
    public string? Recommendation { get; init; }
}
