using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Swin2SR.Core.Inference.CpuMemory;

namespace Swin2SR.Core.Tests.Inference.CpuMemory;

public sealed class OrtApiTableTests
{
    /// <summary>The binding keeps its own copy of the C API table, member by member: the slots must be where it has them.</summary>
    [Theory]
    [InlineData("GetErrorMessage", OrtApiTable.GetErrorMessageSlot)]
    [InlineData("ReleaseStatus", OrtApiTable.ReleaseStatusSlot)]
    [InlineData("RegisterAllocator", OrtApiTable.RegisterAllocatorSlot)]
    public void Each_slot_is_where_the_csharp_binding_has_that_function(string function, int slot)
    {
        var table = typeof(OrtEnv).Assembly.GetType("Microsoft.ML.OnnxRuntime.OrtApi", throwOnError: true)!;
        Assert.NotNull(table.GetField(function, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic));
        Assert.Equal(slot, (int)Marshal.OffsetOf(table, function) / IntPtr.Size);
    }
}
