namespace Swin2SR.Core.Tests.Support;

/// <summary>Locates files committed to the repository (test models, fixtures) from the test's output folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string TestModel(string name) => Path.Combine(Root, "models", "test", name + ".onnx");

    /// <summary>A file of tests/Swin2SR.Core.Tests/Fixtures (its README says how each was made).</summary>
    public static string Fixture(string name) => Path.Combine(Root, "tests", "Swin2SR.Core.Tests", "Fixtures", name);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Swin2SR.PowerShell.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root above " + AppContext.BaseDirectory);
    }
}
