namespace Swin2SR.Core.Pipeline;

/// <summary>A tile size or overlap the model cannot run with.</summary>
/// <param name="value">The size or overlap at fault, so that an error can name the value to change.</param>
public sealed class InvalidTilingException(string message, int value) : ArgumentException(message)
{
    public int Value { get; } = value;
}
