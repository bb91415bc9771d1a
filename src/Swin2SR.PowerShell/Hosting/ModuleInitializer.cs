using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace Swin2SR.PowerShell.Hosting;

/// <summary>
/// On import, routes the one assembly the cmdlets reference (the engine) to the module's load context; the
/// engine's own dependencies then resolve there. Unhooked on Remove-Module.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private const string EngineAssemblyName = "Swin2SR.Core";

    internal static string ModuleDirectory { get; } = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;

    private static readonly ModuleLoadContext s_context = new(Path.Combine(ModuleDirectory, "dependencies"));

    public void OnImport() => AssemblyLoadContext.Default.Resolving += ResolveEngine;

    public void OnRemove(PSModuleInfo psModuleInfo) => AssemblyLoadContext.Default.Resolving -= ResolveEngine;

    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == EngineAssemblyName ? s_context.LoadFromAssemblyName(name) : null;
}
