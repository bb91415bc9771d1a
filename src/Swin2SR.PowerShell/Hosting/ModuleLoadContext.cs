using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Swin2SR.PowerShell.Hosting;

/// <summary>
/// The module-private load context: the engine and its dependencies (ONNX Runtime, ImageSharp, ...) load from
/// <c>dependencies/</c> and their native libraries from <c>dependencies/runtimes/&lt;rid&gt;/native</c>, so another
/// module that loads a different version of those libraries into PowerShell never clashes with ours.
/// </summary>
internal sealed class ModuleLoadContext : AssemblyLoadContext
{
    private readonly string _directory;
    private readonly string _nativeDirectory;
    private readonly ConcurrentDictionary<string, IntPtr> _nativeHandles = new(StringComparer.Ordinal);

    public ModuleLoadContext(string dependencyDirectory)
        : base("Swin2SR.PowerShell", isCollectible: false)
    {
        _directory = dependencyDirectory;
        _nativeDirectory = Path.Combine(dependencyDirectory, "runtimes", CurrentRuntimeIdentifier(), "native");
    }

    /// <summary>Ours if we ship it; null hands the rest (the framework, what $PSHOME ships) to the default context.</summary>
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        string path = Path.Combine(_directory, assemblyName.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
        _nativeHandles.GetOrAdd(unmanagedDllName, LoadNative);

    private IntPtr LoadNative(string name)
    {
        foreach (string candidate in NativeFileNames(name))
        {
            string path = Path.Combine(_nativeDirectory, candidate);
            if (File.Exists(path))
                return LoadUnmanagedDllFromPath(path);
        }
        return IntPtr.Zero;
    }

    private static IEnumerable<string> NativeFileNames(string name)
    {
        yield return name;
        if (OperatingSystem.IsWindows())
        {
            yield return name + ".dll";
        }
        else
        {
            string prefix = name.StartsWith("lib", StringComparison.Ordinal) ? "" : "lib";
            string extension = OperatingSystem.IsMacOS() ? ".dylib" : ".so";
            yield return prefix + name + extension;
            yield return name + extension;
        }
    }

    internal static string CurrentRuntimeIdentifier()
    {
        string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        return $"{os}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";
    }
}
