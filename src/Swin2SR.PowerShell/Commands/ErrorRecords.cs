using System.Management.Automation;

namespace Swin2SR.PowerShell.Commands;

/// <summary>Error records that say what to do as well as what went wrong (ErrorDetails.RecommendedAction).</summary>
internal static class ErrorRecords
{
    public static ErrorRecord WithAction(Exception e, string id, ErrorCategory category, object? target, string action) =>
        new(e, id, category, target) { ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = action } };
}
