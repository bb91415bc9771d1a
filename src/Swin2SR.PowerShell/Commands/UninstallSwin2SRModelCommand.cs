using System.Management.Automation;
using Swin2SR.PowerShell.Completion;

namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// Removes installed models from the model folder: the model file, its weights files, its record and any partial
/// download of it, so that an operator need not know the folder's layout (hidden files, a folder per model).
/// </summary>
[Cmdlet(VerbsLifecycle.Uninstall, "Swin2SRModel", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class UninstallSwin2SRModelCommand : PSCmdlet, IDisposable
{
    private readonly HashSet<string> _done = new(StringComparer.OrdinalIgnoreCase);
    private ModelManager? _manager;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(InstalledModelNameCompleter))]
    public string[] Name { get; set; } = [];

    protected override void BeginProcessing()
    {
        _manager = ModelManager.Open();
        if (_manager.Folder is null)
            ThrowTerminatingError(ModelErrorRecords.NoModelFolder(_manager.StoreProblem));
    }

    protected override void ProcessRecord()
    {
        var manager = _manager!;
        foreach (string name in Name)
        {
            if (WildcardPattern.ContainsWildcardCharacters(name))
            {
                var pattern = NamePattern.Of(name);
                foreach (string installed in manager.InstalledNames().Where(pattern.IsMatch))
                    Uninstall(installed, manager.FilesOf(installed));
            }
            else if (manager.IsEmbedded(name))
                WriteError(ModelErrorRecords.IsEmbedded(name));
            else if (manager.FilesOf(name) is { Count: > 0 } files)
                Uninstall(name, files);
            else
                WriteError(ModelErrorRecords.NotInstalled(name, manager.Folder!, manager.InstalledNames()));
        }
    }

    private void Uninstall(string name, IReadOnlyList<string> files)
    {
        // Piped objects of one model (Get-Swin2SRModel output twice) ask once.
        if (!_done.Add(name) || !ShouldProcess(name, $"Uninstall model: delete {string.Join(", ", files)}"))
            return;
        var removed = _manager!.Uninstall(name, out var error);
        if (error is not null)
            WriteError(error);
        foreach (string file in removed)
            WriteVerbose($"Deleted '{file}'.");
    }

    public void Dispose()
    {
        _manager?.Dispose();
        _manager = null;
    }
}
