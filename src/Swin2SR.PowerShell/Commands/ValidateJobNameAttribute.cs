using System.Management.Automation;

namespace Swin2SR.PowerShell.Commands;

/// <summary>
/// A new job's name may not hold wildcard characters: Get-, Stop- and Remove-Swin2SRJob take names as patterns, so a
/// job named 'night*' could never be addressed alone, and removing it would remove every job whose name starts so.
/// Nor control characters: messages and logs show a job's name, and the commands they suggest, on one line.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class ValidateJobNameAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        if (arguments is not string name)
            return;
        if (WildcardPattern.ContainsWildcardCharacters(name))
            throw new ValidationMetadataException(
                $"The job name '{name}' holds a wildcard character (* ? [ ]), which the job cmdlets would take as a pattern matching other jobs too. Choose a name without them.");
        if (name.Any(char.IsControl))
            throw new ValidationMetadataException(
                "The job name holds a control character (a tab or a line break, say), which would split the lines of logs and messages that show it. Choose a name without them.");
    }
}
