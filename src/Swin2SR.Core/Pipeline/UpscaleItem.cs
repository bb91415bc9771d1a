namespace Swin2SR.Core.Pipeline;

/// <summary>One input and where its output goes, decided before any work starts.</summary>
public sealed record UpscaleItem(string InputPath, string OutputPath, string OutputFormat);
