using System.Management.Automation;
using Swin2SR.PowerShell.Completion;

namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// Downloads catalog models into the model folder, verified by SHA-256, resuming broken downloads. The download
/// runs on a worker thread; this cmdlet writes its progress, result and errors on the pipeline thread.
/// </summary>
[Cmdlet(VerbsLifecycle.Install, "Swin2SRModel", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Swin2SRModelInfo))]
public sealed class InstallSwin2SRModelCommand : PSCmdlet, IDisposable
{
    private static readonly TimeSpan s_progressInterval = TimeSpan.FromMilliseconds(250);
    private ModelManager? _manager;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CatalogModelNameCompleter))]
    public string[] Name { get; set; } = [];

    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>
    /// Taken from the pipeline too (Get-Swin2SRModel -Catalog writes it on each Available model), so that models listed
    /// from a mirror are installed from it; null or empty: the module's catalog.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyString]
    public string? Catalog { get; set; }

    protected override void BeginProcessing() => _manager = ModelManager.Open();

    protected override void ProcessRecord()
    {
        // The catalog may differ from record to record (piped models of two catalogs); each is read once in a row.
        string catalog = CatalogPath.Resolve(this, string.IsNullOrEmpty(Catalog) ? null : Catalog);
        if (catalog != _manager!.CatalogSource && _manager.LoadCatalog(catalog) is { } error)
            ThrowTerminatingError(error);
        foreach (string name in Name)
        {
            if (Install(name) is { } model)
                WriteObject(model);
        }
    }

    protected override void StopProcessing() => _manager?.Stop();

    private Swin2SRModelInfo? Install(string name)
    {
        var manager = _manager!;
        var known = manager.Find(name);
        if (known?.Source == Swin2SRModelSource.Embedded)
        {
            WriteVerbose($"Model '{known.Name}' is embedded in the module; there is nothing to install.");
            return known;
        }
        if (known?.Source == Swin2SRModelSource.Installed && !Force)
        {
            if (known.ChangedSinceInstall is null)
            {
                WriteVerbose($"Model '{known.Name}' is already installed at '{known.Path}'; use -Force to download it again.");
                return known;
            }
            WriteVerbose($"Model '{known.Name}' at '{known.Path}' changed after it was installed ({known.ChangedSinceInstall}); installing it again.");
        }
        if (manager.Offered(name) is not { } offered)
        {
            WriteError(ModelErrorRecords.NotInCatalog(name, manager.CatalogSource!, manager.OfferedNames));
            return null;
        }
        // Every model would fail the same way, so the command stops.
        if (manager.FolderProblem() is { } unusable)
            ThrowTerminatingError(unusable);
        if (!ShouldProcess(manager.InstallTarget(name), $"Download model '{offered.Name}' ({Swin2SRDisplay.Bytes(offered.Size) ?? "size unknown"}) from {offered.Url}"))
            return null;
        // A changed file was hashed just now: the installer replaces it as with -Force instead of hashing it again.
        return Download(manager, name, Force || known?.ChangedSinceInstall is not null);
    }

    private Swin2SRModelInfo? Download(ModelManager manager, string name, bool replace)
    {
        using var run = manager.StartInstall(name, replace);
        while (!run.Wait(s_progressInterval))
        {
            if (run.TakeProgress() is { } progress)
                WriteProgress(progress);
        }
        WriteProgress(run.Completed());
        if (run.Canceled)
            throw new PipelineStoppedException();
        var model = run.Result(out var error);
        if (error is not null)
            WriteError(error);
        return model;
    }

    // PowerShell disposes the cmdlet when the pipeline ends, also when it was stopped.
    public void Dispose()
    {
        _manager?.Dispose();
        _manager = null;
    }
}
