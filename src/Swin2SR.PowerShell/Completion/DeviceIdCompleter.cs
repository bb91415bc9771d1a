using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using Swin2SR.Core.Inference.Devices;

namespace Swin2SR.PowerShell.Completion;

/// <summary>
/// Tab completion for -DeviceId: the CUDA device ids of the GPUs this process can use (as Get-Swin2SRDevice finds
/// them, CUDA_VISIBLE_DEVICES applied), each shown with its GPU's name.
/// </summary>
public sealed class DeviceIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        GpuDiscovery.Find().Gpus
            .Select(gpu => (Id: gpu.CudaDevice.ToString(CultureInfo.InvariantCulture), gpu.Name))
            .Where(gpu => gpu.Id.StartsWith(wordToComplete, StringComparison.Ordinal))
            .Select(gpu => new CompletionResult(gpu.Id, $"{gpu.Id}: {gpu.Name}", CompletionResultType.ParameterValue, gpu.Name))
            .ToList();
}
