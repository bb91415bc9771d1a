namespace Swin2SR.Core.Imaging;

/// <summary>
/// What tells one version of a file from another, as a job journal records it: its size, and when it was last
/// written (Unix milliseconds, as <see cref="System.IO.FileSystemInfo.LastWriteTimeUtc"/> gives it).
/// </summary>
public readonly record struct FileVersion(long Length, long ModifiedMs);
