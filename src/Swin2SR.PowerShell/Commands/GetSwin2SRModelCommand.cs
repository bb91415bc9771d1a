using System.Management.Automation;
using Swin2SR.Core.Models;
using Swin2SR.PowerShell.Completion;

namespace Swin2SR.PowerShell.Commands;

/// <summary>Lists the models the module knows: embedded in the module, installed in the model folder, and available from the catalog.</summary>
[Cmdlet(VerbsCommon.Get, "Swin2SRModel")]
[OutputType(typeof(Swin2SRModelInfo))]
public sealed class GetSwin2SRModelCommand : PSCmdlet
{
    private readonly HashSet<string> _written = new(StringComparer.OrdinalIgnoreCase);
    private List<Swin2SRModelInfo> _models = [];
    private ModelManager? _manager;

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CatalogModelNameCompleter))]
    public string[] Name { get; set; } = ["*"];

    [Parameter]
    public SwitchParameter Installed { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Catalog { get; set; }

    protected override void BeginProcessing()
    {
        using var manager = ModelManager.Open();
        _manager = manager;
        // Installed models cannot be listed from a folder that cannot be found; say so rather than list none.
        if (manager.StoreProblem is { } problem)
            WriteWarning($"Installed models are not listed: {problem}.");
        foreach (string file in manager.MisnamedFiles())
        {
            string name = ModelCatalog.NameLike(System.IO.Path.GetFileNameWithoutExtension(file));
            WriteWarning($"'{file}' is not listed: a model's name is at most {ModelCatalog.MaxNameLength} lowercase letters, digits, '.', '_' and '-', "
                + $"starting with a letter or digit. Rename it (for example to {name}.onnx) to use it as -Model {name}, or give its path to -Model.");
        }
        // Installed models need no catalog: -Installed works offline even with a catalog address.
        if (!Installed && manager.LoadCatalog(CatalogPath.Resolve(this, Catalog)) is { } error)
            WriteError(error);
        _models = manager.List(Installed).ToList();
    }

    // Ctrl+C while a -Catalog address is read.
    protected override void StopProcessing() => _manager?.Stop();

    protected override void ProcessRecord()
    {
        foreach (string name in Name)
        {
            var pattern = NamePattern.Of(name);
            var matches = _models.Where(m => pattern.IsMatch(m.Name)).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                WriteError(ModelErrorRecords.NotFound(name, _models.Select(m => m.Name)));
            foreach (var model in matches.Where(m => _written.Add(m.Name)))
            {
                if (model.ChangedSinceInstall is { } change)
                    WriteWarning($"Model '{model.Name}' at '{model.Path}' changed after it was installed ({change}); runs refuse it until Install-Swin2SRModel {model.Name} installs it again.");
                WriteObject(model);
            }
        }
    }
}
